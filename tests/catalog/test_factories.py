import pytest

from catalog.models import OrderItem
from tests.catalog.factories import OrderItemFactory


@pytest.mark.django_db
def test_order_item_factory_builds_a_consistent_sale():
    item = OrderItemFactory()

    stored = OrderItem.objects.select_related("order", "store", "product").get()
    assert stored.pk == item.pk
    assert stored.order.delivered_at < stored.order.promised_delivery_at
