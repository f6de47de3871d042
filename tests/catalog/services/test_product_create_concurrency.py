import threading
from decimal import Decimal

import pytest
from django.db import connection

from catalog.models import Product, StockLevel
from catalog.services import product_create
from dropi.exceptions import ApplicationError
from tests.accounts.factories import UserFactory
from tests.catalog.factories import StoreFactory


@pytest.mark.django_db(transaction=True)
def test_four_requests_creating_one_sku_give_one_product_and_three_sku_taken():
    store = StoreFactory()
    user = UserFactory()
    barrier = threading.Barrier(4)
    outcomes = []

    def create():
        try:
            barrier.wait()
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
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["created", "sku_taken", "sku_taken", "sku_taken"]
    assert Product.objects.filter(sku="SAME").count() == 1
    assert StockLevel.objects.filter(product__sku="SAME").count() == 1
