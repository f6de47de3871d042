import pytest

from catalog.models import OrderStatus, Review
from catalog.services import review_create
from dropi.exceptions import ApplicationError
from tests.catalog.factories import OrderItemFactory
from tests.crm.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _review(item, customer=None):
    return review_create(
        customer=customer or item.order.customer,
        order_id=item.order.pk,
        product=item.product,
        score=4,
        title="Bien",
    )


def test_customer_reviews_received_item():
    item = OrderItemFactory()

    review = _review(item)

    assert Review.objects.get() == review
    assert review.product == item.product


def test_second_review_of_same_item_is_refused():
    item = OrderItemFactory()
    _review(item)

    with pytest.raises(ApplicationError) as caught:
        _review(item)

    assert caught.value.code == "already_reviewed"
    assert Review.objects.count() == 1


def test_undelivered_order_cannot_be_reviewed():
    item = OrderItemFactory(order__status=OrderStatus.SHIPPED)

    with pytest.raises(ApplicationError) as caught:
        _review(item)

    assert caught.value.code == "order_not_delivered"


def test_another_customers_order_cannot_be_reviewed():
    item = OrderItemFactory()

    with pytest.raises(ApplicationError) as caught:
        _review(item, customer=CustomerFactory())

    assert caught.value.code == "order_not_owned"


def test_missing_order_gives_the_not_owned_error():
    item = OrderItemFactory()

    with pytest.raises(ApplicationError) as caught:
        review_create(
            customer=item.order.customer,
            order_id=item.order.pk + 1000,
            product=item.product,
            score=4,
        )

    assert caught.value.code == "order_not_owned"
