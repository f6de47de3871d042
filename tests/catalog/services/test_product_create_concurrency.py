from decimal import Decimal

import pytest

from catalog.models import Product, StockLevel
from catalog.services import product_create
from dropi.exceptions import ApplicationError
from tests.accounts.factories import UserFactory
from tests.catalog.factories import StoreFactory
from tests.threads import run_together


@pytest.mark.django_db(transaction=True)
def test_four_requests_creating_one_sku_give_one_product_and_three_sku_taken():
    store = StoreFactory()
    user = UserFactory()
    outcomes = []

    def create():
        try:
            product_create(
                store=store,
                sku="SAME",
                name="Mate",
                price=Decimal("10"),
                quantity=1,
                created_by=user,
            )
            outcomes.append("created")
        except ApplicationError as exc:
            outcomes.append(exc.code)

    run_together(create, 4)

    assert sorted(outcomes) == ["created", "sku_taken", "sku_taken", "sku_taken"]
    assert Product.objects.filter(sku="SAME").count() == 1
    assert StockLevel.objects.filter(product__sku="SAME").count() == 1
