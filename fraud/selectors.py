"""Reads of the fraud app: blocklist matches, login signals, order history."""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from fraud.blocklist import blocklist_value_normalise, email_domain_and_parents
from fraud.models import (
    BlocklistEntry,
    BlocklistKind,
    FraudCase,
    FraudCaseStatus,
    LoginAttempt,
    LoginRiskSettings,
    OrderRiskRule,
    OrderRiskSettings,
)

ZERO = Decimal("0")


def login_risk_settings_get() -> LoginRiskSettings:
    settings_row, _ = LoginRiskSettings.objects.get_or_create(id=1)
    return settings_row


def order_risk_settings_get() -> OrderRiskSettings:
    settings_row, _ = OrderRiskSettings.objects.get_or_create(id=1)
    return settings_row


def blocklist_active(*, at: datetime | None = None) -> QuerySet[BlocklistEntry]:
    at = at or timezone.now()
    return BlocklistEntry.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=at)
    )


def blocklist_match(*, kind: str, value: str) -> BlocklistEntry | None:
    """Return the active entry blocking ``value``, longest-lasting first."""
    if not value or not value.strip():
        return None
    normalised = blocklist_value_normalise(kind=kind, value=value)
    if not normalised:
        return None
    candidates = [normalised]
    if kind == BlocklistKind.EMAIL_DOMAIN:
        candidates = email_domain_and_parents(normalised)

    return (
        blocklist_active()
        .filter(kind=kind, value__in=candidates)
        .order_by(F("expires_at").desc(nulls_first=True))
        .first()
    )


def login_attempts_since(*, since: datetime) -> QuerySet[LoginAttempt]:
    return LoginAttempt.objects.filter(created_at__gte=since)


def login_signal_counts(
    *, email: str, address: str, window: timedelta, velocity_window: timedelta
) -> dict[str, int]:
    """Count the recent attempts the login risk score is built from."""
    now = timezone.now()
    recent = login_attempts_since(since=now - window)
    failures = recent.filter(succeeded=False)

    return {
        "account_failures": failures.filter(email=email).count(),
        "address_failures": failures.filter(address=address).count(),
        "distinct_accounts": failures.filter(address=address)
        .exclude(email=email)
        .values("email")
        .distinct()
        .count(),
        "address_attempts_last_minute": recent.filter(
            address=address, created_at__gte=now - velocity_window
        ).count(),
    }


def login_device_is_known(*, email: str, device_hash: str) -> bool | None:
    """Tell whether the account signed in from this device before.

    ``None`` when the account never signed in successfully (nothing to
    compare with: a first login is not a "new device").
    """
    successes = LoginAttempt.objects.filter(email=email, succeeded=True)
    if not successes.exists():
        return None
    return successes.filter(device_hash=device_hash).exists()


def order_risk_rules_for(*, vertical_ids: set[int]) -> list[OrderRiskRule]:
    """Return the active rule of each code that applies to these verticals.

    A rule for one of the verticals wins over the all-verticals rule of the
    same code; among several verticals the one worth more points wins.
    """
    rules = OrderRiskRule.objects.filter(is_active=True).filter(
        Q(vertical__isnull=True) | Q(vertical_id__in=vertical_ids)
    )
    chosen: dict[str, OrderRiskRule] = {}
    for rule in rules.order_by("code", "-points"):
        current = chosen.get(rule.code)
        if current is None or (current.vertical_id is None and rule.vertical_id):
            chosen[rule.code] = rule

    return sorted(chosen.values(), key=lambda rule: rule.code)


def _line_total() -> ExpressionWrapper:
    return ExpressionWrapper(
        F("items__unit_price") * F("items__quantity") + F("items__freight"),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )


def orders_with_totals(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(risk_total=Coalesce(Sum(_line_total()), ZERO))


def order_total(*, order: Any) -> Decimal:
    from catalog.models import Order

    row = orders_with_totals(Order.objects.filter(pk=order.pk)).first()
    return row.risk_total if row is not None else ZERO


def order_vertical_ids(*, order: Any) -> set[int]:
    return {
        vertical_id
        for vertical_id in order.items.values_list(
            "product__category__vertical_id", flat=True
        )
        if vertical_id is not None
    }


def orders_of_customer_before(*, order: Any) -> QuerySet:
    """Return the customer's orders placed before ``order`` (history)."""
    from catalog.models import Order

    return Order.objects.filter(customer_id=order.customer_id).filter(
        Q(purchased_at__lt=order.purchased_at)
        | Q(purchased_at=order.purchased_at, pk__lt=order.pk)
    )


def fraud_case_list(*, status: str | None = None) -> QuerySet[FraudCase]:
    cases = FraudCase.objects.select_related("order", "order__customer", "decided_by")
    if status:
        cases = cases.filter(status=status)
    return cases


def fraud_case_blocks_order(*, order_id: Any) -> bool:
    return FraudCase.objects.filter(
        order_id=order_id,
        status__in=[FraudCaseStatus.OPEN, FraudCaseStatus.REJECTED],
    ).exists()
