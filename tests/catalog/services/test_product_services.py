from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import PriceChange, Product, StockMovement
from catalog.services import product_create, product_price_change
from dropi.exceptions import ApplicationError
from tests.accounts.factories import UserFactory
from tests.catalog.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db


def test_create_records_first_price_and_stock():
    store = StoreFactory()
    user = UserFactory()

    product = product_create(
        store=store,
        sku="N-1",
        name="Mate",
        price=Decimal("50"),
        quantity=4,
        created_by=user,
    )

    assert product.stocklevel_set.get().quantity == 4
    assert StockMovement.objects.get(product=product).quantity_delta == 4
    assert PriceChange.objects.get(product=product).new_price == Decimal("50")


def test_create_refuses_taken_sku():
    ProductFactory(sku="DUP")

    with pytest.raises(ApplicationError) as caught:
        product_create(
            store=StoreFactory(),
            sku="DUP",
            name="x",
            price=Decimal(1),
            created_by=UserFactory(),
        )

    assert caught.value.code == "sku_taken"


def test_price_change_records_history():
    product = ProductFactory(price=Decimal("100.00"))

    change = product_price_change(
        product=product, new_price=Decimal("90.00"), changed_by=UserFactory()
    )

    product.refresh_from_db()
    assert product.price == Decimal("90.00")
    assert (change.old_price, change.new_price) == (Decimal("100.00"), Decimal("90.00"))


def test_price_change_refuses_below_floor():
    product = ProductFactory(price=Decimal("100.00"), price_floor=Decimal("95.00"))

    with pytest.raises(ApplicationError) as caught:
        product_price_change(
            product=product, new_price=Decimal("94.99"), changed_by=UserFactory()
        )

    assert caught.value.code == "price_below_floor"
    assert not PriceChange.objects.exists()


def test_price_change_refuses_discount_over_maximum():
    product = ProductFactory(
        price=Decimal("100.00"), max_discount_percent=Decimal("20")
    )

    with pytest.raises(ApplicationError) as caught:
        product_price_change(
            product=product, new_price=Decimal("79.99"), changed_by=UserFactory()
        )

    assert caught.value.code == "discount_too_large"
    product.refresh_from_db()
    assert product.price == Decimal("100.00")


def test_price_change_allows_exactly_the_maximum_discount():
    product = ProductFactory(
        price=Decimal("100.00"), max_discount_percent=Decimal("20")
    )

    product_price_change(
        product=product, new_price=Decimal("80.00"), changed_by=UserFactory()
    )

    product.refresh_from_db()
    assert product.price == Decimal("80.00")


def test_sku_taken_between_check_and_insert_is_sku_taken(monkeypatch):
    store = StoreFactory()
    original_full_clean = Product.full_clean

    def full_clean_then_lose_the_race(product, *args, **kwargs):
        # Another request inserts the same SKU after the existence check.
        ProductFactory(sku=product.sku)
        return original_full_clean(product, *args, **kwargs)

    monkeypatch.setattr(Product, "full_clean", full_clean_then_lose_the_race)

    with pytest.raises(ApplicationError) as caught:
        product_create(
            store=store,
            sku="RACE-1",
            name="Termo",
            price=Decimal("80"),
            quantity=3,
            created_by=UserFactory(),
        )

    assert caught.value.code == "sku_taken"
    assert not StockMovement.objects.exists()
    assert not PriceChange.objects.exists()


def _cut(product, price):
    return product_price_change(
        product=product, new_price=Decimal(price), changed_by=UserFactory()
    )


def test_small_cuts_cannot_add_up_past_the_maximum_discount():
    product = ProductFactory(price=Decimal("100.00"), max_discount_percent=10)
    PriceChange.objects.create(product=product, new_price=Decimal("100.00"))
    _cut(product, "90.00")

    with pytest.raises(ApplicationError) as caught:
        _cut(product, "81.00")

    assert caught.value.code == "discount_too_large"
    assert caught.value.extra["reference_price"] == "100.00"
    product.refresh_from_db()
    assert product.price == Decimal("90.00")


def test_prices_older_than_the_window_are_not_the_reference():
    product = ProductFactory(price=Decimal("90.00"), max_discount_percent=10)
    old = PriceChange.objects.create(product=product, new_price=Decimal("100.00"))
    PriceChange.objects.filter(pk=old.pk).update(
        changed_at=timezone.now() - timedelta(days=31)
    )

    _cut(product, "81.00")

    product.refresh_from_db()
    assert product.price == Decimal("81.00")
