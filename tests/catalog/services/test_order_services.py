from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import (
    Offer,
    Order,
    OrderStatus,
    StockLevel,
    StockMovement,
    StockMovementReason,
)
from catalog.services import (
    OrderLine,
    order_cancel,
    order_deliver,
    order_pay,
    order_place,
    order_return,
    order_ship,
    orders_unpaid_expire,
)
from dropi.exceptions import ApplicationError
from tests.accounts.factories import UserFactory
from tests.catalog.factories import StockLevelFactory
from tests.crm.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def level():
    return StockLevelFactory(quantity=5)


@pytest.fixture
def actor():
    return UserFactory()


def _place(level, actor, quantity=2):
    return order_place(
        customer=CustomerFactory(user=actor),
        lines=[OrderLine(product=level.product, store=level.store, quantity=quantity)],
        placed_by=actor,
    )


def test_place_reserves_stock_and_writes_ledger(level, actor):
    order = _place(level, actor, quantity=2)

    level.refresh_from_db()
    assert order.status == OrderStatus.PLACED
    assert (level.quantity, level.reserved) == (5, 2)
    movement = StockMovement.objects.get(order=order)
    assert movement.reason == StockMovementReason.RESERVATION
    assert movement.reserved_delta == 2
    assert order.items.get().unit_price == Decimal("100.00")


def test_place_uses_the_current_offer_price(level, actor):
    now = timezone.now()
    Offer.objects.create(
        product=level.product,
        price=Decimal("80.00"),
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=1),
    )

    order = _place(level, actor, quantity=1)

    assert order.items.get().unit_price == Decimal("80.00")


def test_place_refuses_more_than_available_and_writes_nothing(level, actor):
    with pytest.raises(ApplicationError) as caught:
        _place(level, actor, quantity=6)

    assert caught.value.code == "insufficient_stock"
    level.refresh_from_db()
    assert level.reserved == 0
    assert not StockMovement.objects.exists()


def test_full_lifecycle_moves_stock(level, actor):
    order = _place(level, actor, quantity=2)

    order_pay(order=order, actor=actor)
    order_ship(order=order, actor=actor)
    level.refresh_from_db()
    assert (level.quantity, level.reserved) == (3, 0)
    order_deliver(order=order, actor=actor)
    order_return(order=order, actor=actor)

    level.refresh_from_db()
    order.refresh_from_db()
    assert order.status == OrderStatus.RETURNED
    assert (level.quantity, level.reserved) == (5, 0)
    assert order.shipped_at is not None
    assert order.delivered_at is not None


def test_cancel_releases_reservation(level, actor):
    order = _place(level, actor, quantity=3)

    order_cancel(order=order, actor=actor)

    level.refresh_from_db()
    assert (level.quantity, level.reserved) == (5, 0)
    assert StockMovement.objects.filter(reason=StockMovementReason.RELEASE).count() == 1


@pytest.mark.parametrize(
    ("service", "code"),
    [(order_ship, "invalid_transition"), (order_deliver, "invalid_transition")],
)
def test_illegal_transition_is_refused(level, actor, service, code):
    order = _place(level, actor)

    with pytest.raises(ApplicationError) as caught:
        service(order=order, actor=actor)

    assert caught.value.code == code
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED


def test_cannot_cancel_shipped_order(level, actor):
    order = _place(level, actor)
    order_pay(order=order, actor=actor)
    order_ship(order=order, actor=actor)

    with pytest.raises(ApplicationError):
        order_cancel(order=order, actor=actor)


def test_held_order_is_not_shipped(level, actor, monkeypatch):
    order = _place(level, actor)
    order_pay(order=order, actor=actor)
    monkeypatch.setattr("catalog.services.order_is_held", lambda order: True)

    with pytest.raises(ApplicationError) as caught:
        order_ship(order=order, actor=actor)

    assert caught.value.code == "order_held"
    assert StockLevel.objects.get(pk=level.pk).reserved == 2


def test_place_calls_fraud_assessment(level, actor, monkeypatch):
    seen = []
    monkeypatch.setattr(
        "catalog.services.order_risk_assess", lambda *, order: seen.append(order.pk)
    )

    order = _place(level, actor)

    assert seen == [order.pk]


def test_a_seller_cannot_buy_from_its_own_store(level, actor):
    level.store.owner = actor
    level.store.save(update_fields=["owner"])

    with pytest.raises(ApplicationError) as refused:
        _place(level, actor)

    assert refused.value.code == "own_store"
    level.refresh_from_db()
    assert level.reserved == 0


def test_unpaid_orders_past_the_limit_are_cancelled_and_release_stock(level, actor):
    stale = _place(level, actor, quantity=2)
    fresh = _place(level, UserFactory(), quantity=1)
    paid = _place(level, UserFactory(), quantity=1)
    order_pay(order=paid, actor=actor)
    Order.objects.filter(pk__in=[stale.pk, paid.pk]).update(
        purchased_at=timezone.now() - timedelta(hours=49)
    )

    cancelled = orders_unpaid_expire(older_than=timedelta(hours=48))

    assert cancelled == 1
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert statuses[stale.pk] == OrderStatus.CANCELLED
    assert statuses[fresh.pk] == OrderStatus.PLACED
    assert statuses[paid.pk] == OrderStatus.PAID
    level.refresh_from_db()
    assert level.reserved == 2
    release = StockMovement.objects.get(order=stale, reason=StockMovementReason.RELEASE)
    assert release.created_by is None
