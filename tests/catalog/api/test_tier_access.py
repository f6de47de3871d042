"""Which tier gets which status from each endpoint (one table)."""

import pytest

from tests.api_tiers import client_for, make_customer, make_seller, make_staff
from tests.catalog.factories import OrderItemFactory, ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db

ANON, CUSTOMER, SELLER, STAFF = "anonymous", "customer", "seller", "staff"
MAKERS = {
    ANON: lambda: None,
    CUSTOMER: make_customer,
    SELLER: make_seller,
    STAFF: make_staff,
}

# (method, path, body, {tier: expected status}); "{product}", "{store}" and
# "{order}" are filled with rows nobody in the test owns. Groups are the
# seeded tiers (accounts migration 0003): sellers may also buy and review.
TABLE = [
    (
        "get",
        "/api/rankings/vendedores/",
        None,
        {ANON: 401, CUSTOMER: 404, SELLER: 404, STAFF: 404},
    ),
    (
        "get",
        "/api/rankings/vendedores/{store}/historial/",
        None,
        {ANON: 401, CUSTOMER: 403, SELLER: 403, STAFF: 200},
    ),
    (
        "get",
        "/api/rankings/productos/{product}/historial/",
        None,
        {ANON: 401, CUSTOMER: 403, SELLER: 403, STAFF: 200},
    ),
    (
        "get",
        "/api/productos/",
        None,
        {ANON: 200, CUSTOMER: 200, SELLER: 200, STAFF: 200},
    ),
    (
        "get",
        "/api/productos/{product}/",
        None,
        {ANON: 200, CUSTOMER: 200, SELLER: 200, STAFF: 200},
    ),
    (
        "get",
        "/api/productos/{product}/precios/",
        None,
        {ANON: 200, CUSTOMER: 200, SELLER: 200, STAFF: 200},
    ),
    (
        "post",
        "/api/productos/",
        {},
        {ANON: 401, CUSTOMER: 403, SELLER: 400, STAFF: 400},
    ),
    (
        "patch",
        "/api/productos/{product}/",
        {"name": "X"},
        {ANON: 401, CUSTOMER: 403, SELLER: 403, STAFF: 200},
    ),
    (
        "post",
        "/api/productos/{product}/precios/",
        {"price": "99"},
        {ANON: 401, CUSTOMER: 403, SELLER: 403, STAFF: 201},
    ),
    ("get", "/api/tiendas/", None, {ANON: 200, CUSTOMER: 200, SELLER: 200, STAFF: 200}),
    (
        "post",
        "/api/tiendas/",
        {"name": "T"},
        {ANON: 401, CUSTOMER: 403, SELLER: 201, STAFF: 403},
    ),
    (
        "patch",
        "/api/tiendas/{store}/",
        {"name": "T"},
        {ANON: 401, CUSTOMER: 403, SELLER: 403, STAFF: 200},
    ),
    ("get", "/api/pedidos/", None, {ANON: 401, CUSTOMER: 200, SELLER: 200, STAFF: 200}),
    (
        "get",
        "/api/pedidos/{order}/",
        None,
        {ANON: 401, CUSTOMER: 404, SELLER: 404, STAFF: 200},
    ),
    (
        "post",
        "/api/pedidos/",
        {"items": []},
        {ANON: 401, CUSTOMER: 400, SELLER: 400, STAFF: 403},
    ),
    (
        "post",
        "/api/pedidos/{order}/devolver/",
        None,
        {ANON: 401, CUSTOMER: 404, SELLER: 404, STAFF: 200},
    ),
    ("get", "/api/resenas/", None, {ANON: 200, CUSTOMER: 200, SELLER: 200, STAFF: 200}),
    ("post", "/api/resenas/", {}, {ANON: 401, CUSTOMER: 400, SELLER: 400, STAFF: 403}),
    (
        "get",
        "/api/crm/clientes/",
        None,
        {ANON: 401, CUSTOMER: 403, SELLER: 403, STAFF: 200},
    ),
]

CASES = [
    pytest.param(method, path, body, tier, expected, id=f"{tier}-{method}-{path}")
    for method, path, body, by_tier in TABLE
    for tier, expected in by_tier.items()
]


@pytest.mark.parametrize(("method", "path", "body", "tier", "expected"), CASES)
def test_tier_gets_expected_status(method, path, body, tier, expected):
    item = OrderItemFactory(product=ProductFactory(), store=StoreFactory())
    url = path.format(product=item.product.pk, store=item.store.pk, order=item.order.pk)
    client = client_for(MAKERS[tier]())

    response = getattr(client, method)(url, body, format="json")

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert set(response.json()["error"]) >= {"code", "message"}
