"""Every list costs the same number of queries for 5 rows as for 100."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from catalog.models import PriceChange, Product
from tests.api_tiers import client_for, make_customer, make_seller, make_staff
from tests.catalog.factories import (
    OrderItemFactory,
    ProductFactory,
    ReviewFactory,
    StockLevelFactory,
)
from tests.crm.factories import CustomerFactory

pytestmark = pytest.mark.django_db

ROWS = 105


@pytest.fixture
def world():
    seller = make_seller()
    customer = make_customer()
    store = seller.stores.get()
    product = ProductFactory()
    for _ in range(ROWS):
        level = StockLevelFactory(store=store)
        ReviewFactory(product=level.product)
        item = OrderItemFactory(store=store, product=level.product)
        OrderItemFactory(order=item.order, store=store, product=product)
        item.order.customer = customer.customer
        item.order.save()
        CustomerFactory()
        PriceChange.objects.create(product=product, new_price=Decimal(1))
    return {"seller": seller, "customer": customer, "product": product}


def _queries(user, url, page_size):
    # A fresh user object per request, as a real request would load: the
    # permission cache of one request must not hide the next one's queries.
    client = client_for(User.objects.get(pk=user.pk) if user else None)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"page_size": page_size})
    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size
    return len(captured)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        (None, "/api/productos/"),
        (None, "/api/productos/{product}/precios/"),
        (None, "/api/tiendas/"),
        (None, "/api/resenas/"),
        ("customer", "/api/pedidos/"),
        ("seller", "/api/pedidos/"),
        ("staff", "/api/pedidos/"),
        ("staff", "/api/crm/clientes/"),
    ],
)
def test_list_query_count_does_not_grow_with_page_size(world, who, url):
    user = make_staff() if who == "staff" else world.get(who)
    url = url.format(product=world["product"].pk)
    if url == "/api/tiendas/":
        StockLevelFactory.create_batch(ROWS)

    small = _queries(user, url, 5)
    large = _queries(user, url, 100)

    assert small == large


def test_rating_order_and_filter_cost_the_same_for_5_or_100_rows():
    ProductFactory.create_batch(ROWS)
    Product.objects.update(rating_sum=9, reviews_count=2)

    def queries(page_size):
        client = client_for(None)
        params = {"ordering": "-rating", "min_rating": "4", "page_size": page_size}
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/productos/", params)
        assert len(response.json()["results"]) == page_size
        return len(captured)

    assert queries(5) == queries(100)
