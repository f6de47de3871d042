"""The rating summary stored on products, and the services keeping it."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from catalog import selectors
from catalog.models import Product
from catalog.services import product_ratings_refresh, review_create
from dropi.exceptions import ApplicationError
from tests.catalog.factories import OrderItemFactory, ProductFactory, ReviewFactory
from tests.threads import run_together

pytestmark = pytest.mark.django_db


def _summary(product):
    product.refresh_from_db()
    return product.rating_sum, product.reviews_count


def test_review_create_adds_its_score_to_the_product_summary():
    first = OrderItemFactory()
    second = OrderItemFactory(product=first.product)
    for item, score in ((first, 5), (second, 2)):
        review_create(
            customer=item.order.customer,
            order_id=item.order.pk,
            product=item.product,
            score=score,
        )

    assert _summary(first.product) == (7, 2)
    listed = selectors.product_list().get(pk=first.product.pk)
    assert listed.rating == Decimal("3.5")


def test_refused_review_leaves_the_summary_alone():
    item = OrderItemFactory()
    review_create(
        customer=item.order.customer,
        order_id=item.order.pk,
        product=item.product,
        score=4,
    )

    with pytest.raises(ApplicationError):
        review_create(
            customer=item.order.customer,
            order_id=item.order.pk,
            product=item.product,
            score=1,
        )

    assert _summary(item.product) == (4, 1)


def test_refresh_counts_order_reviews_for_each_product_once_and_own_reviews():
    item = OrderItemFactory()
    again = OrderItemFactory(order=item.order, product=item.product, line_number=2)
    other = OrderItemFactory(order=item.order, line_number=3)
    stranger = ProductFactory()
    Product.objects.update(rating_sum=99, reviews_count=9)
    ReviewFactory.build(order=again.order, product=None, score=4).save()
    ReviewFactory.build(order=item.order, product=other.product, score=1).save()
    ReviewFactory.build(order=item.order, product=stranger, score=5).save()

    written = product_ratings_refresh()

    assert written == 3
    assert _summary(item.product) == (4, 1)
    assert _summary(other.product) == (5, 2)
    assert _summary(stranger) == (0, 0)
    assert product_ratings_refresh() == 0


def test_refresh_command_repairs_a_stale_summary():
    item = OrderItemFactory()
    ReviewFactory(order=item.order, product=None, score=3)
    Product.objects.filter(pk=item.product.pk).update(rating_sum=0, reviews_count=0)

    out = _command_output()

    assert out == "Product ratings refreshed: 1 changed.\n"
    assert _summary(item.product) == (3, 1)


def _command_output():
    buffer = StringIO()
    call_command("product_ratings_refresh", stdout=buffer)
    return buffer.getvalue()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_reviews_of_one_product_all_count():
    product = ProductFactory()
    items = [OrderItemFactory(product=product) for _ in range(4)]
    pending = list(zip(items, (5, 4, 2, 1), strict=True))

    def review():
        item, score = pending.pop()
        review_create(
            customer=item.order.customer,
            order_id=item.order.pk,
            product=product,
            score=score,
        )

    run_together(review, 4)

    assert _summary(product) == (12, 4)
