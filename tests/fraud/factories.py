from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from catalog.models import OrderStatus, Payment
from fraud.models import BlocklistEntry, BlocklistKind, FraudCase, LoginAttempt
from tests.catalog.factories import OrderFactory, OrderItemFactory


class LoginAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LoginAttempt

    email = factory.Sequence(lambda n: f"victima{n}@example.com")
    address = "203.0.113.10"
    user_agent = "Mozilla/5.0"
    device_hash = "a" * 64
    succeeded = False
    decision = "allow"


class BlocklistEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlocklistEntry

    kind = BlocklistKind.ADDRESS
    value = "203.0.113.66"
    reason = "prueba"
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    sequential = 1
    method = "cod"
    amount = Decimal("100.00")


def order_with_total(
    *,
    total: Decimal,
    customer=None,
    purchased_at=None,
    status=OrderStatus.PLACED,
    **order_fields,
):
    """Create an order whose single item (no freight) costs ``total``."""
    kwargs = {"status": status, **order_fields}
    if customer is not None:
        kwargs["customer"] = customer
    if purchased_at is not None:
        kwargs["purchased_at"] = purchased_at
    order = OrderFactory(**kwargs)
    OrderItemFactory(order=order, line_number=1, unit_price=total, freight=Decimal("0"))
    return order


class FraudCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FraudCase

    order = factory.LazyFunction(lambda: order_with_total(total=Decimal("100")))
    score = 80
    reasons = factory.LazyFunction(lambda: [{"code": "x", "points": 80, "reason": "x"}])
