"""The whole shared Olist folder: counts equal the CSV record counts.

The shared data has no record the importer rejects (see docs/importer.md),
so every record is created, and a second import finds all unchanged.
"""

from pathlib import Path

import pytest
from django.conf import settings

from catalog.importers import olist_import
from catalog.models import Category, Order, OrderItem, Payment, Product, Review, Store
from crm.models import Customer, CustomerExternalId
from tests.conftest import olist_dir_or_skip

# Records per file, from the data folder's README.
RECORDS = {
    "product_category_name_translation.csv": 71,
    "olist_sellers_dataset.csv": 3095,
    "olist_products_dataset.csv": 32951,
    "olist_customers_dataset.csv": 18694,
    "olist_orders_dataset.csv": 18694,
    "olist_order_items_dataset.csv": 21202,
    "olist_order_payments_dataset.csv": 19586,
    "olist_order_reviews_dataset.csv": 18628,
}


@pytest.mark.olist
@pytest.mark.slow
@pytest.mark.django_db
def test_full_olist_data_imports_every_record_once():
    directory = Path(olist_dir_or_skip(settings.DROPI_OLIST_DIR))

    first = olist_import(directory=directory)
    second = olist_import(directory=directory)

    assert {c.file: (c.read, c.created, c.rejected) for c in first.files} == {
        name: (records, records, 0) for name, records in RECORDS.items()
    }
    # Two categories are named by products but missing from the translation.
    assert first.categories_added == 2
    assert first.prices_changed == 10807
    assert {
        "categories": Category.objects.count(),
        "stores": Store.objects.count(),
        "products": Product.objects.count(),
        "people": Customer.objects.count(),
        "customer ids": CustomerExternalId.objects.count(),
        "orders": Order.objects.count(),
        "orders without items": Order.objects.filter(items__isnull=True).count(),
        "items": OrderItem.objects.count(),
        "payments": Payment.objects.count(),
        "reviews": Review.objects.count(),
    } == {
        "categories": 73,
        "stores": 3095,
        "products": 32951,
        "people": 18565,
        "customer ids": 18694,
        "orders": 18694,
        "orders without items": 137,
        "items": 21202,
        "payments": 19586,
        "reviews": 18628,
    }
    assert {c.file: (c.unchanged, c.created + c.updated) for c in second.files} == {
        name: (records, 0) for name, records in RECORDS.items()
    }
    assert not second.changed_anything
