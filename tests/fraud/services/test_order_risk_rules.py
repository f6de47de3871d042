from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import User
from catalog.models import OrderStatus
from fraud.models import OrderRiskRule
from fraud.rules import rule_evaluate
from tests.crm.factories import CustomerFactory
from tests.fraud.factories import PaymentFactory, order_with_total


def _rule(code):
    return OrderRiskRule.objects.get(code=code, vertical=None)


def _customer(*, joined_days_ago):
    user = User.objects.create_user(
        email=f"c{joined_days_ago}@example.com",
        password="x",
        date_joined=timezone.now() - timedelta(days=joined_days_ago),
    )
    return CustomerFactory(user=user)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("joined_days_ago", "total", "fires"),
    [
        (3, Decimal("1000000.00"), True),
        (3, Decimal("999999.99"), False),
        (8, Decimal("1000000.00"), False),
    ],
    ids=["hit", "near-miss-amount", "near-miss-age"],
)
def test_new_account_large_first_order(joined_days_ago, total, fires):
    customer = _customer(joined_days_ago=joined_days_ago)
    order = order_with_total(
        total=total, customer=customer, purchased_at=timezone.now()
    )

    hit = rule_evaluate(rule=_rule("new_account_large_first_order"), order=order)

    assert (hit is not None) is fires


@pytest.mark.django_db
def test_new_account_rule_ignores_a_second_order():
    customer = _customer(joined_days_ago=1)
    now = timezone.now()
    order_with_total(
        total=Decimal("10"), customer=customer, purchased_at=now - timedelta(hours=5)
    )
    order = order_with_total(
        total=Decimal("2000000"), customer=customer, purchased_at=now
    )

    assert (
        rule_evaluate(rule=_rule("new_account_large_first_order"), order=order) is None
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("others", "fires"), [(2, True), (1, False)], ids=["hit", "near-miss"]
)
def test_several_accounts_shipping_to_one_address(others, fires):
    now = timezone.now()
    for n in range(others):
        order_with_total(
            total=Decimal("50"),
            purchased_at=now - timedelta(days=n + 1),
            shipping_address="Av. España 1234, Asunción",
        )
    order = order_with_total(
        total=Decimal("50"),
        purchased_at=now,
        shipping_address="av. españa 1234, asunción",
    )

    hit = rule_evaluate(rule=_rule("shared_destination"), order=order)

    assert (hit is not None) is fires


@pytest.mark.django_db
def test_several_accounts_sharing_a_phone_fire_the_destination_rule():
    now = timezone.now()
    for n in range(2):
        order_with_total(
            total=Decimal("5"),
            purchased_at=now - timedelta(hours=n + 1),
            shipping_phone="0981123456",
        )
    order = order_with_total(
        total=Decimal("5"), purchased_at=now, shipping_phone="0981123456"
    )

    hit = rule_evaluate(rule=_rule("shared_destination"), order=order)

    assert hit is not None
    assert hit.points == 30


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "fires"),
    [("cod", True), ("credit_card", False)],
    ids=["hit", "near-miss"],
)
def test_cash_on_delivery_refusals_in_history(method, fires):
    customer = CustomerFactory()
    now = timezone.now()
    refused = order_with_total(
        total=Decimal("80"),
        customer=customer,
        purchased_at=now - timedelta(days=20),
        status=OrderStatus.RETURNED,
    )
    PaymentFactory(order=refused, method=method)
    order = order_with_total(total=Decimal("80"), customer=customer, purchased_at=now)

    hit = rule_evaluate(rule=_rule("cod_refusals"), order=order)

    assert (hit is not None) is fires


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("total", "fires"),
    [(Decimal("300.01"), True), (Decimal("300.00"), False)],
    ids=["hit", "near-miss"],
)
def test_amount_far_above_the_customers_usual(total, fires):
    customer = CustomerFactory()
    now = timezone.now()
    for n in range(3):
        order_with_total(
            total=Decimal("100"),
            customer=customer,
            purchased_at=now - timedelta(days=30 + n),
        )
    order = order_with_total(total=total, customer=customer, purchased_at=now)

    hit = rule_evaluate(rule=_rule("amount_above_usual"), order=order)

    assert (hit is not None) is fires


@pytest.mark.django_db
def test_amount_rule_needs_enough_history():
    customer = CustomerFactory()
    now = timezone.now()
    for n in range(2):
        order_with_total(
            total=Decimal("1"),
            customer=customer,
            purchased_at=now - timedelta(days=n + 1),
        )
    order = order_with_total(total=Decimal("1000"), customer=customer, purchased_at=now)

    assert rule_evaluate(rule=_rule("amount_above_usual"), order=order) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("oldest_minutes_ago", "fires"), [(59, True), (61, False)], ids=["hit", "near-miss"]
)
def test_many_orders_in_a_short_time(oldest_minutes_ago, fires):
    customer = CustomerFactory()
    now = timezone.now()
    order_with_total(
        total=Decimal("10"),
        customer=customer,
        purchased_at=now - timedelta(minutes=oldest_minutes_ago),
    )
    order_with_total(
        total=Decimal("10"), customer=customer, purchased_at=now - timedelta(minutes=10)
    )
    order = order_with_total(total=Decimal("10"), customer=customer, purchased_at=now)

    hit = rule_evaluate(rule=_rule("order_velocity"), order=order)

    assert (hit is not None) is fires


@pytest.mark.django_db
def test_a_rule_with_invalid_params_never_fires():
    rule = _rule("order_velocity")
    rule.params = {"window_minutes": "lots", "max_orders": 1}
    rule.save()
    order = order_with_total(total=Decimal("10"), purchased_at=timezone.now())

    assert rule_evaluate(rule=rule, order=order) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("theirs", "ours"),
    [
        ("Av. España 1234, Asunción", "AV ESPAÑA 1234 - ASUNCIÓN"),
        ("0981 123-456", "+595 981 123 456"),
    ],
    ids=["address-spelling", "phone-prefix"],
)
@pytest.mark.parametrize("vendor", ["postgresql", "python-fallback"])
def test_destination_variants_are_the_same_destination(
    theirs, ours, vendor, monkeypatch
):
    if vendor != "postgresql":
        monkeypatch.setattr(connection, "vendor", "sqlite")
    now = timezone.now()
    field = "shipping_phone" if theirs[0].isdigit() else "shipping_address"
    for n in range(2):
        order_with_total(
            total=Decimal("5"),
            purchased_at=now - timedelta(hours=n + 1),
            **{field: theirs},
        )
    order = order_with_total(total=Decimal("5"), purchased_at=now, **{field: ours})

    assert rule_evaluate(rule=_rule("shared_destination"), order=order) is not None


def test_destination_keys_match_the_database_keys():
    from fraud.rules import destination_key_address, destination_key_phone

    assert destination_key_address("Av. España 1234") == "avespaa1234"
    assert (
        destination_key_phone("+595 (981) 123-456")
        == destination_key_phone("0981123456")
        == "981123456"
    )


@pytest.mark.django_db
def test_new_account_rule_ignores_customers_imported_after_their_orders():
    customer = CustomerFactory()
    order = order_with_total(
        total=Decimal("5000000"),
        customer=customer,
        purchased_at=timezone.now() - timedelta(days=400),
    )

    assert (
        rule_evaluate(rule=_rule("new_account_large_first_order"), order=order) is None
    )
