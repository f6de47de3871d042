"""Replay the order risk rules on past orders to see what they flag."""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Order, Vertical
from fraud.models import OrderRiskRule
from fraud.rules import rule_evaluate
from fraud.selectors import (
    order_risk_rules_for,
    order_risk_settings_get,
    order_vertical_ids,
)

logger = logging.getLogger(__name__)


@dataclass
class RuleCount:
    rule: OrderRiskRule
    flagged: int = 0


@dataclass
class BacktestResult:
    orders: int = 0
    held: int = 0
    threshold: int = 0
    by_rule: list[RuleCount] = field(default_factory=list)


class BacktestForm(forms.Form):
    since = forms.DateField(required=False, label=_("Desde"))
    until = forms.DateField(required=False, label=_("Hasta"))
    vertical = forms.ModelChoiceField(
        queryset=Vertical.objects.all(), required=False, label=_("Vertical")
    )
    limit = forms.IntegerField(
        required=False,
        min_value=1,
        # The admin view runs inside the request; larger backtests belong
        # to the fraud_backtest command.
        max_value=20_000,
        initial=2000,
        label=_("Máximo de pedidos"),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("'Desde' es posterior a 'Hasta'."))
        return cleaned


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def backtest_orders(
    *,
    since: date | None = None,
    until: date | None = None,
    vertical: Vertical | None = None,
) -> QuerySet[Order]:
    orders = Order.objects.all()
    if since:
        orders = orders.filter(purchased_at__gte=_day_start(since))
    if until and until < date.max:
        orders = orders.filter(purchased_at__lt=_day_start(until + timedelta(days=1)))
    if vertical is not None:
        orders = orders.filter(items__product__category__vertical=vertical).distinct()
    return orders.select_related("customer", "customer__user").order_by(
        "-purchased_at", "-id"
    )


def backtest_run(
    *,
    since: date | None = None,
    until: date | None = None,
    vertical: Vertical | None = None,
    limit: int | None = None,
) -> BacktestResult:
    """Count, per active rule, the past orders it would have flagged.

    Each order is judged on what was known when it was placed. A rule for
    one vertical only counts orders with items of that vertical. ``held``
    counts the orders whose combined score reaches the hold threshold.
    """
    rules = list(
        OrderRiskRule.objects.filter(is_active=True).select_related("vertical")
    )
    result = BacktestResult(
        threshold=order_risk_settings_get().hold_threshold,
        by_rule=[RuleCount(rule=rule) for rule in rules],
    )
    orders = backtest_orders(since=since, until=until, vertical=vertical)
    if limit:
        orders = orders[:limit]
    # TODO: one query set per rule and order; past ~100k orders this takes
    # minutes. A set-based version per rule would make it one scan.
    for order in orders.iterator(chunk_size=500):
        result.orders += 1
        verticals = order_vertical_ids(order=order)
        fired: dict[int, int] = {}
        for count in result.by_rule:
            rule = count.rule
            if rule.vertical_id and rule.vertical_id not in verticals:
                continue
            hit = rule_evaluate(rule=rule, order=order)
            if hit is not None:
                count.flagged += 1
                fired[rule.pk] = hit.points
        applicable = order_risk_rules_for(vertical_ids=verticals)
        if sum(fired.get(rule.pk, 0) for rule in applicable) >= result.threshold:
            result.held += 1
    logger.info(
        "Order risk backtest run", extra={"orders": result.orders, "held": result.held}
    )

    return result
