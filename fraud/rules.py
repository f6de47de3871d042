"""Order risk rules: one function per rule code, read-only.

Each evaluator looks only at what was known when the order was placed
(the customer's earlier orders), so the same code scores a new order and
backtests an old one. It returns the reason when the rule fires, else
``None``.
"""

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection
from django.db.models import Avg, CharField, F, Func, Q, Value
from django.db.models.functions import Lower

from catalog.models import Order
from fraud.models import OrderRiskRule, OrderRiskRuleCode
from fraud.selectors import (
    order_total,
    orders_of_customer_before,
    orders_with_totals,
)

logger = logging.getLogger(__name__)

DEFAULT_PARAMS: dict[str, dict[str, Any]] = {
    OrderRiskRuleCode.NEW_ACCOUNT_LARGE_FIRST_ORDER: {
        "account_age_days": 7,
        "min_amount": "1000000",
    },
    OrderRiskRuleCode.SHARED_DESTINATION: {
        "lookback_days": 30,
        "min_other_accounts": 2,
    },
    OrderRiskRuleCode.COD_REFUSALS: {
        "cod_methods": ["cod"],
        "refused_statuses": ["returned", "cancelled"],
        "min_refusals": 1,
    },
    OrderRiskRuleCode.AMOUNT_ABOVE_USUAL: {"multiplier": "3", "min_history": 3},
    OrderRiskRuleCode.ORDER_VELOCITY: {"window_minutes": 60, "max_orders": 3},
}


@dataclass(frozen=True)
class RuleHit:
    code: str
    points: int
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "points": self.points, "reason": self.reason}


def _new_account_large_first_order(order: Order, params: dict[str, Any]) -> str | None:
    customer = order.customer
    joined = (
        customer.user.date_joined if customer.user is not None else customer.created_at
    )
    max_age = timedelta(days=int(params["account_age_days"]))
    # A customer record created after the order (an imported history) says
    # nothing about the account's age.
    if joined > order.purchased_at or order.purchased_at - joined > max_age:
        return None
    if orders_of_customer_before(order=order).exists():
        return None
    total = order_total(order=order)
    if total < Decimal(str(params["min_amount"])):
        return None

    return f"Cuenta de {(order.purchased_at - joined).days} días con primer pedido de {total}"


def destination_key_address(value: str) -> str:
    """Reduce a shipping address to lower-case letters and digits."""
    return re.sub(r"[^a-z0-9]", "", value.lower())


def destination_key_phone(value: str) -> str:
    """Reduce a phone to its digits without the +595 or leading 0 prefix."""
    return re.sub(r"^(595|0)", "", re.sub(r"\D", "", value))


def _db_address_key(field: str) -> Func:
    return Func(
        Lower(field),
        Value("[^a-z0-9]"),
        Value(""),
        Value("g"),
        function="REGEXP_REPLACE",
        output_field=CharField(),
    )


def _db_phone_key(field: str) -> Func:
    digits = Func(
        F(field),
        Value(r"\D"),
        Value(""),
        Value("g"),
        function="REGEXP_REPLACE",
        output_field=CharField(),
    )
    return Func(
        digits,
        Value("^(595|0)"),
        Value(""),
        function="REGEXP_REPLACE",
        output_field=CharField(),
    )


def _customers_sharing_destination(
    *, order: Order, address_key: str, phone_key: str, since: Any
) -> int:
    candidates = Order.objects.filter(
        purchased_at__gte=since, purchased_at__lte=order.purchased_at
    ).exclude(customer_id=order.customer_id)
    if connection.vendor == "postgresql":
        same = Q()
        if address_key:
            same |= Q(address_key=address_key)
        if phone_key:
            same |= Q(phone_key=phone_key)
        return (
            candidates.annotate(
                address_key=_db_address_key("shipping_address"),
                phone_key=_db_phone_key("shipping_phone"),
            )
            .filter(same)
            .values("customer_id")
            .distinct()
            .count()
        )
    # Other databases (the SQLite local run) have no REGEXP_REPLACE: compare
    # in Python.
    rows = candidates.values_list("customer_id", "shipping_address", "shipping_phone")
    return len(
        {
            customer_id
            for customer_id, address, phone in rows.iterator()
            if (address_key and destination_key_address(address) == address_key)
            or (phone_key and destination_key_phone(phone) == phone_key)
        }
    )


def _shared_destination(order: Order, params: dict[str, Any]) -> str | None:
    address_key = destination_key_address(order.shipping_address)
    phone_key = destination_key_phone(order.shipping_phone)
    if not address_key and not phone_key:
        return None
    since = order.purchased_at - timedelta(days=int(params["lookback_days"]))
    others = _customers_sharing_destination(
        order=order, address_key=address_key, phone_key=phone_key, since=since
    )
    if others < int(params["min_other_accounts"]):
        return None

    return f"{others} otras cuentas enviaron a la misma dirección o teléfono"


def _cod_refusals(order: Order, params: dict[str, Any]) -> str | None:
    refusals = (
        orders_of_customer_before(order=order)
        .filter(
            status__in=params["refused_statuses"],
            payments__method__in=params["cod_methods"],
        )
        .distinct()
        .count()
    )
    if refusals < int(params["min_refusals"]):
        return None

    return f"{refusals} pedidos contra entrega rechazados o devueltos antes"


def _amount_above_usual(order: Order, params: dict[str, Any]) -> str | None:
    history = orders_with_totals(orders_of_customer_before(order=order))
    if history.count() < int(params["min_history"]):
        return None
    usual = history.aggregate(usual=Avg("risk_total"))["usual"]
    total = order_total(order=order)
    multiplier = Decimal(str(params["multiplier"]))
    if usual is None or total <= usual * multiplier:
        return None

    return f"Monto {total} supera {multiplier} veces el habitual ({usual:.2f})"


def _order_velocity(order: Order, params: dict[str, Any]) -> str | None:
    window = timedelta(minutes=int(params["window_minutes"]))
    recent = (
        Order.objects.filter(
            customer_id=order.customer_id,
            purchased_at__gte=order.purchased_at - window,
            purchased_at__lte=order.purchased_at,
        )
        .filter(Q(purchased_at__lt=order.purchased_at) | Q(pk__lte=order.pk))
        .count()
    )
    if recent < int(params["max_orders"]):
        return None

    return f"{recent} pedidos en {params['window_minutes']} minutos"


EVALUATORS: dict[str, Callable[[Order, dict[str, Any]], str | None]] = {
    OrderRiskRuleCode.NEW_ACCOUNT_LARGE_FIRST_ORDER: _new_account_large_first_order,
    OrderRiskRuleCode.SHARED_DESTINATION: _shared_destination,
    OrderRiskRuleCode.COD_REFUSALS: _cod_refusals,
    OrderRiskRuleCode.AMOUNT_ABOVE_USUAL: _amount_above_usual,
    OrderRiskRuleCode.ORDER_VELOCITY: _order_velocity,
}


def rule_params(rule: OrderRiskRule) -> dict[str, Any]:
    return {**DEFAULT_PARAMS.get(rule.code, {}), **(rule.params or {})}


def rule_params_validate(*, code: str, params: dict[str, Any]) -> list[str]:
    """Return the problems of ``params`` for ``code`` (empty when valid)."""
    if not isinstance(params, dict):
        return ["params must be a JSON object"]
    merged = {**DEFAULT_PARAMS.get(code, {}), **params}
    problems = []
    for key, value in merged.items():
        if isinstance(DEFAULT_PARAMS.get(code, {}).get(key), list):
            if not isinstance(value, list) or not all(
                isinstance(v, str) for v in value
            ):
                problems.append(f"{key} must be a list of texts")
            continue
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            problems.append(f"{key} must be a number")
            continue
        if number < 0 or not number.is_finite():
            problems.append(f"{key} must be zero or more")
    unknown = set(params) - set(DEFAULT_PARAMS.get(code, {}))
    problems.extend(f"{key} is not a parameter of {code}" for key in sorted(unknown))

    return problems


def rule_evaluate(*, rule: OrderRiskRule, order: Order) -> RuleHit | None:
    """Run one rule on one order; a rule with bad params never fires."""
    params = rule_params(rule)
    if rule_params_validate(code=rule.code, params=rule.params or {}):
        logger.warning(
            "Order risk rule skipped: invalid params", extra={"rule_id": rule.pk}
        )
        return None
    reason = EVALUATORS[rule.code](order, params)
    if reason is None:
        return None

    return RuleHit(code=rule.code, points=rule.points, reason=reason)
