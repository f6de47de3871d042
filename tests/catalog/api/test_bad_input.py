"""Malformed input gets a 400 or 404 in the one error shape, never a 500."""

import pytest

from tests.api_tiers import client_for, make_customer, make_seller, make_staff
from tests.catalog.factories import ProductFactory

pytestmark = pytest.mark.django_db

BIG = "99999999999999999999999"

GETS = [
    ("/api/productos/abc/", 404),
    (f"/api/productos/{BIG}/", 404),
    ("/api/productos/-1/precios/", 404),
    ("/api/productos/?page=abc", 404),
    ("/api/productos/?page=999", 404),
    ("/api/productos/?page=0", 404),
    ("/api/productos/?page_size=abc", 400),
    ("/api/productos/?page_size=0", 400),
    ("/api/productos/?page_size=-5", 400),
    ("/api/productos/?price_min=abc", 400),
    ("/api/productos/?price_min=NaN", 400),
    ("/api/productos/?price_max=1e999", 400),
    ("/api/productos/?store=abc", 400),
    (f"/api/productos/?store={BIG}", 400),
    ("/api/productos/?category=1.5", 400),
    ("/api/productos/?in_stock=maybe", 400),
    ("/api/productos/?min_rating=9", 400),
    ("/api/productos/?ordering=password", 400),
    ("/api/productos/?ordering=price,nope", 400),
    ("/api/productos/?search=a%00b", 400),
    ("/api/tiendas/?ordering=owner", 400),
    ("/api/resenas/?score=0", 400),
    ("/api/resenas/?product=x", 400),
    ("/api/pedidos/?status=lost", 400),
    ("/api/pedidos/?purchased_from=2024-13-45", 400),
    ("/api/pedidos/?purchased_to=yesterday", 400),
    ("/api/pedidos/abc/", 404),
    ("/api/crm/clientes/not-a-uuid/", 404),
    ("/api/crm/clientes/00000000-0000-0000-0000-000000000000/", 404),
    ("/api/crm/clientes/?ordering=email", 400),
]


@pytest.mark.parametrize(("url", "expected"), GETS)
def test_malformed_query_is_client_error(url, expected):
    client = client_for(make_staff())

    response = client.get(url)

    assert response.status_code == expected
    error = response.json()["error"]
    assert error["code"]
    assert error["message"]


POSTS = [
    ("/api/productos/", {"store": "x", "sku": "A", "name": "B", "price": "1"}),
    ("/api/productos/", {"store": 1, "sku": "A", "name": "B", "price": "abc"}),
    ("/api/productos/", {"store": 1, "sku": "A", "name": "B", "price": "1e30"}),
    ("/api/productos/", {"store": 1, "sku": "A", "name": "B", "price": "-5"}),
    ("/api/productos/{product}/precios/", {"price": "NaN"}),
    ("/api/productos/{product}/precios/", {"price": "0.001"}),
    ("/api/tiendas/", {"name": "x" * 500}),
    ("/api/tiendas/", {"name": "a\x00b"}),
    ("/api/pedidos/", {"items": "nope"}),
    ("/api/pedidos/", {"items": [{"product": BIG, "store": 1, "quantity": 1}]}),
    ("/api/pedidos/", {"items": [{"product": 1, "store": 1, "quantity": 0}]}),
    ("/api/resenas/", {"order": "abc", "product": 1, "score": 3}),
    ("/api/resenas/", {"order": 1, "product": 1, "score": 6}),
]


@pytest.mark.parametrize(("url", "body"), POSTS)
def test_malformed_body_is_400_with_field_errors(url, body):
    seller = make_seller()
    seller.groups.add(*make_customer().groups.all())
    product = ProductFactory()

    response = client_for(seller).post(
        url.format(product=product.pk), body, format="json"
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"]
    assert error["fields"]


def test_malformed_json_is_400(api_client):
    api_client.force_authenticate(make_seller())

    response = api_client.post(
        "/api/tiendas/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_page_size_is_capped_at_100():
    ProductFactory.create_batch(101)

    response = client_for(None).get("/api/productos/", {"page_size": 1000})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 100
    assert response.json()["count"] == 101
