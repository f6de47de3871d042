from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from catalog.models import Vertical
from fraud.models import BlocklistKind, FraudCase, OrderRiskRule
from fraud.services import (
    blocklist_add,
    order_is_held,
    order_risk_assess,
)
from tests.catalog.factories import CategoryFactory, OrderItemFactory, ProductFactory
from tests.crm.factories import CustomerFactory
from tests.fraud.factories import order_with_total


def _new_customer():
    user = User.objects.create_user(
        email="nuevo@example.com",
        password="x",
        date_joined=timezone.now() - timedelta(days=1),
    )
    return CustomerFactory(user=user)


@pytest.mark.django_db
def test_an_order_under_the_threshold_is_not_held():
    order = order_with_total(
        total=Decimal("2000000"), customer=_new_customer(), purchased_at=timezone.now()
    )

    case = order_risk_assess(order=order)

    assert case is None
    assert not order_is_held(order=order)
    assert FraudCase.objects.count() == 0


@pytest.mark.django_db
def test_points_add_up_to_a_held_order_with_reasons():
    customer = _new_customer()
    now = timezone.now()
    order = order_with_total(
        total=Decimal("2000000"),
        customer=customer,
        purchased_at=now,
        shipping_phone="0981 555 111",
    )
    blocklist_add(
        kind=BlocklistKind.PHONE, value="+595 981 555111", reason="contracargos"
    )

    case = order_risk_assess(order=order)

    assert case is not None
    assert case.score == 40 + 50
    assert sorted(reason["code"] for reason in case.reasons) == [
        "blocklist_phone",
        "new_account_large_first_order",
    ]
    assert order_is_held(order=order)
    assert (
        AuditEvent.objects.filter(
            action="fraud.case_open", object_id=str(case.pk)
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_a_blocked_shipping_address_holds_the_order():
    blocklist_add(
        kind=BlocklistKind.SHIPPING_ADDRESS, value="Calle Palma 10", reason="fraude"
    )
    order = order_with_total(
        total=Decimal("5"),
        purchased_at=timezone.now(),
        shipping_address="calle  PALMA, 10",
    )

    case = order_risk_assess(order=order)

    assert case is not None
    assert case.reasons[0]["code"] == "blocklist_shipping_address"


@pytest.mark.django_db
def test_a_vertical_rule_replaces_the_general_one_for_its_orders():
    vertical = Vertical.objects.create(name="Electrónica", slug="electronica")
    OrderRiskRule.objects.create(
        code="new_account_large_first_order",
        vertical=vertical,
        points=60,
        params={"account_age_days": 7, "min_amount": "500000"},
    )
    customer = _new_customer()
    order = order_with_total(
        total=Decimal("600000"), customer=customer, purchased_at=timezone.now()
    )
    phone = ProductFactory(category=CategoryFactory(vertical=vertical))
    OrderItemFactory(
        order=order,
        line_number=2,
        product=phone,
        unit_price=Decimal("0"),
        freight=Decimal("0"),
    )

    case = order_risk_assess(order=order)

    assert case is not None
    assert case.score == 60


@pytest.mark.django_db
def test_assessing_twice_keeps_one_case():
    blocklist_add(kind=BlocklistKind.PHONE, value="0981000000", reason="x")
    order = order_with_total(
        total=Decimal("5"), purchased_at=timezone.now(), shipping_phone="0981000000"
    )

    first = order_risk_assess(order=order)
    second = order_risk_assess(order=order)

    assert first.pk == second.pk
    assert FraudCase.objects.count() == 1
