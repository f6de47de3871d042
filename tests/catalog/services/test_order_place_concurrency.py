import threading

import pytest
from django.db import connection

from catalog.models import Order, StockLevel
from catalog.services import OrderLine, order_place
from dropi.exceptions import ApplicationError
from tests.accounts.factories import UserFactory
from tests.catalog.factories import StockLevelFactory
from tests.crm.factories import CustomerFactory


@pytest.mark.django_db(transaction=True)
def test_two_orders_racing_for_the_last_unit_sell_it_once():
    level = StockLevelFactory(quantity=1)
    buyers = [CustomerFactory(user=UserFactory()) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def buy(customer):
        try:
            barrier.wait()
            order_place(
                customer=customer,
                lines=[OrderLine(product=level.product, store=level.store, quantity=1)],
                placed_by=customer.user,
            )
            outcomes.append("placed")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(c,)) for c in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["insufficient_stock", "placed"]
    assert Order.objects.count() == 1
    assert StockLevel.objects.get(pk=level.pk).reserved == 1
