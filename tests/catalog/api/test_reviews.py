import pytest

from accounts.roles import Tier
from catalog.models import OrderStatus, Review
from tests.api_tiers import client_for, make_customer, make_user
from tests.catalog.factories import OrderItemFactory, ReviewFactory

pytestmark = pytest.mark.django_db

URL = "/api/resenas/"


def _item_bought_by(user, status=OrderStatus.DELIVERED):
    return OrderItemFactory(order__customer=user.customer, order__status=status)


def _review(client, item):
    body = {"order": item.order.pk, "product": item.product.pk, "score": 5}
    return client.post(URL, body, format="json")


def test_reviews_are_public():
    review = ReviewFactory(title="Excelente")

    response = client_for(None).get(URL)

    assert response.status_code == 200
    assert response.json()["results"][0]["id"] == review.pk
    assert "order" not in response.json()["results"][0]


def test_customer_reviews_received_item_once():
    user = make_customer()
    item = _item_bought_by(user)
    client = client_for(user)

    first = _review(client, item)
    second = _review(client, item)

    assert first.status_code == 201
    assert second.status_code == 400
    assert second.json()["error"]["code"] == "already_reviewed"
    assert Review.objects.count() == 1


def test_item_not_delivered_cannot_be_reviewed():
    user = make_customer()
    item = _item_bought_by(user, status=OrderStatus.SHIPPED)

    response = _review(client_for(user), item)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "order_not_delivered"


def test_someone_elses_order_cannot_be_reviewed():
    item = OrderItemFactory()

    response = _review(client_for(make_customer()), item)

    assert response.json()["error"]["code"] == "order_not_owned"


def test_missing_and_someone_elses_order_give_the_same_error():
    user = make_customer()
    item = OrderItemFactory()
    client = client_for(user)
    body = {"product": item.product.pk, "score": 5}

    missing = client.post(URL, {**body, "order": item.order.pk + 1000}, format="json")
    not_owned = client.post(URL, {**body, "order": item.order.pk}, format="json")

    assert missing.status_code == not_owned.status_code == 400
    assert missing.json() == not_owned.json()
    assert not_owned.json()["error"]["code"] == "order_not_owned"


def test_user_without_customer_record_gets_the_same_error():
    item = OrderItemFactory()
    client = client_for(make_user(Tier.CUSTOMER))

    response = _review(client, item)

    assert response.json()["error"]["code"] == "order_not_owned"


def test_anonymous_cannot_review():
    item = OrderItemFactory()

    response = _review(client_for(None), item)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
