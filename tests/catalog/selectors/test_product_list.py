"""The storefront product list: figures, per-store stock and its index."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from catalog import selectors
from catalog.models import Offer
from tests.catalog.factories import (
    OrderItemFactory,
    ProductFactory,
    ReviewFactory,
    StockLevelFactory,
    StoreFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/productos/"


def test_units_available_add_up_active_stores_only(api_client):
    product = ProductFactory()
    StockLevelFactory(product=product, store__name="A", quantity=5, reserved=1)
    StockLevelFactory(product=product, store__name="B", quantity=4, reserved=4)
    StockLevelFactory(product=product, store=StoreFactory(is_active=False), quantity=50)

    [row] = api_client.get(URL).json()["results"]

    assert row["stock_available"] == 4
    assert [(s["store_name"], s["available"]) for s in row["stores"]] == [
        ("A", 4),
        ("B", 0),
    ]


def test_in_stock_filter_agrees_with_the_units_shown(api_client):
    stocked = StockLevelFactory(quantity=3).product
    sold_out = StockLevelFactory(quantity=2, reserved=2).product
    hidden = StockLevelFactory(quantity=9, store__is_active=False).product

    def ids(value):
        rows = api_client.get(URL, {"in_stock": value}).json()["results"]
        return {row["id"]: row["stock_available"] for row in rows}

    assert ids("true") == {stocked.pk: 3}
    assert ids("false") == {sold_out.pk: 0, hidden.pk: 0}


def test_reused_base_query_sees_new_reviews_and_offers():
    product = ProductFactory(price=Decimal("100.00"))
    assert selectors.product_list().get(pk=product.pk).reviews_count == 0

    item = OrderItemFactory(product=product)
    ReviewFactory(order=item.order, product=None, score=3)
    now = timezone.now()
    Offer.objects.create(
        product=product,
        price=Decimal("80.00"),
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(hours=1),
    )
    fresh = selectors.product_list().get(pk=product.pk)

    assert (fresh.reviews_count, fresh.rating) == (1, Decimal("3.00"))
    assert fresh.offer_price == Decimal("80.00")


def test_product_list_reads_only_the_columns_it_shows(django_assert_num_queries):
    ProductFactory()
    with django_assert_num_queries(2):
        [product] = selectors.product_list()
        shown = (product.sku, product.name, product.description, product.created_at)

    assert all(value is not None for value in shown)
    assert "updated_at" in product.get_deferred_fields()


def test_active_products_are_counted_from_the_partial_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["catalog_product_active_idx"],
        )
        [(definition,)] = cursor.fetchall()

    assert definition.endswith("(id) WHERE is_active")
