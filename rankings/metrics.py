"""Set-based computation of ranking components, one query per ranking.

Every number an entry holds comes out of one aggregate query over the order
items of the window, grouped by the entity (store or product), with window
functions for the normalisation. The same ORM expressions run on SQLite and
PostgreSQL.

Definitions (window = [start, end), by order purchase time):

- ``orders``: distinct orders with at least one item of the entity, any
  status; ``cancelled_orders`` the cancelled ones among them.
- ``revenue``: sum of unit_price * quantity over items of orders that are
  not cancelled; ``units`` the sum of their quantities.
- Reviews: Olist reviews are per order, so an order's review counts once for
  every store (and every product) with an item in that order. For products, a
  review that names a product counts for that product only.
- ``rating``: Bayesian average shrunk towards the window's mean review score
  m with prior strength C: (C*m + sum of scores) / (C + number of reviews).
- ``on_time_rate``: among delivered orders with a promised date, the share
  delivered before the end of the promised day (promised + 24 h, since the
  promised date is the start of that day), shrunk the same way towards the
  window's overall on-time rate.
- ``cancellation_rate``: cancelled_orders / orders (not smoothed: every
  ranked entity has at least min_orders orders).
- Normalisation: PERCENT_RANK over the ranked entities (those with at least
  min_orders orders), 0 = lowest, 1 = highest; cancellation is inverted
  (1 - percent rank), so 1 is always best.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Cast, Coalesce, NullIf, PercentRank

from catalog.models import OrderItem, OrderStatus, Review
from rankings.models import RankingKind

# Component name -> (raw value alias, normalised alias), in report order.
COMPONENTS = {
    "revenue": ("revenue", "revenue_norm"),
    "orders": ("orders", "orders_norm"),
    "units": ("units", "units_norm"),
    "rating": ("rating", "rating_norm"),
    "on_time": ("on_time_rate", "on_time_norm"),
    "cancellation": ("cancellation_rate", "cancellation_norm"),
}
# Used for the prior when the window holds no review / no delivery at all;
# every entity then gets the same value, so the choice does not move ranks.
FALLBACK_RATING_MEAN = Decimal("3")
FALLBACK_ON_TIME_RATE = Decimal("1")
ENTITY_FIELD = {RankingKind.SELLERS: "store_id", RankingKind.PRODUCTS: "product_id"}
ENTITY_SOURCE_FIELD = {
    RankingKind.SELLERS: "store__source_id",
    RankingKind.PRODUCTS: "product__source_id",
}


@dataclass(frozen=True)
class Priors:
    """What the Bayesian averages shrink towards, and how hard."""

    rating_mean: Decimal
    rating_strength: Decimal
    on_time_rate: Decimal
    on_time_strength: Decimal


def _window_items(*, start: datetime, end: datetime, vertical_id: int | None):
    items = OrderItem.objects.filter(
        order__purchased_at__gte=start, order__purchased_at__lt=end
    )
    if vertical_id is not None:
        items = items.filter(product__category__vertical_id=vertical_id)
    return items.order_by()


def _cancelled() -> Q:
    return Q(order__status=OrderStatus.CANCELLED)


def _delivered() -> Q:
    return (
        Q(order__delivered_at__isnull=False, order__promised_delivery_at__isnull=False)
        & ~_cancelled()
    )


def _on_time() -> Q:
    deadline = F("order__promised_delivery_at") + Value(timedelta(days=1))
    return _delivered() & Q(order__delivered_at__lt=deadline)


def _as_float(expression):
    return Cast(expression, output_field=FloatField())


def _shrunk(*, successes, trials, prior_mean: Decimal, strength: Decimal):
    """(C*m + successes) / (C + trials), or m when both C and trials are 0."""
    numerator = Value(float(strength * prior_mean)) + _as_float(successes)
    denominator = NullIf(Value(float(strength)) + _as_float(trials), Value(0.0))
    return Coalesce(
        numerator / denominator,
        Value(float(prior_mean)),
        output_field=FloatField(),
    )


def window_priors(
    *,
    start: datetime,
    end: datetime,
    vertical_id: int | None,
    rating_strength: Decimal,
    on_time_strength: Decimal,
) -> Priors:
    """Return the window's mean review score and on-time rate as priors.

    Each review and each order is counted once here, however many entities it
    is attributed to.
    """
    orders = _window_items(start=start, end=end, vertical_id=vertical_id).values(
        "order_id"
    )
    reviews = Review.objects.filter(order_id__in=orders).order_by()
    review_totals = reviews.aggregate(total=Sum("score"), count=Count("id"))
    delivery_totals = _window_items(
        start=start, end=end, vertical_id=vertical_id
    ).aggregate(
        delivered=Count("order_id", distinct=True, filter=_delivered()),
        on_time=Count("order_id", distinct=True, filter=_on_time()),
    )

    rating_mean = FALLBACK_RATING_MEAN
    if review_totals["count"]:
        rating_mean = Decimal(review_totals["total"]) / review_totals["count"]
    on_time_rate = FALLBACK_ON_TIME_RATE
    if delivery_totals["delivered"]:
        on_time_rate = (
            Decimal(delivery_totals["on_time"]) / delivery_totals["delivered"]
        )

    return Priors(
        rating_mean=rating_mean,
        rating_strength=rating_strength,
        on_time_rate=on_time_rate,
        on_time_strength=on_time_strength,
    )


def _review_aggregate(
    *, kind: str, start: datetime, end: datetime, vertical_id: int | None, function
):
    entity_field = ENTITY_FIELD[kind]
    entity_orders = _window_items(start=start, end=end, vertical_id=vertical_id)
    entity_orders = entity_orders.filter(
        **{entity_field: OuterRef(OuterRef(entity_field))}
    ).values("order_id")
    reviews = Review.objects.filter(order_id__in=entity_orders).order_by()
    if kind == RankingKind.PRODUCTS:
        reviews = reviews.filter(
            Q(product__isnull=True) | Q(product_id=OuterRef(entity_field))
        )
    # A plain SQL function (not a Django aggregate) keeps the subquery free
    # of GROUP BY: it yields exactly one row per outer entity.
    value = Func(F(function[1]), function=function[0], output_field=IntegerField())
    return Coalesce(Subquery(reviews.values(value=value)), 0)


def entity_components(
    *,
    kind: str,
    start: datetime,
    end: datetime,
    vertical_id: int | None,
    min_orders: int,
    priors: Priors,
) -> QuerySet:
    """Return one row per ranked entity with raw and normalised components.

    Rows are dicts keyed ``entity_id``, ``entity_source_id``, the raw
    components and ``<component>_norm``; unordered.
    """
    entity_field = ENTITY_FIELD[kind]
    cancelled = _cancelled()
    money = DecimalField(max_digits=16, decimal_places=2)
    review_scope = {
        "kind": kind,
        "start": start,
        "end": end,
        "vertical_id": vertical_id,
    }

    rows = (
        _window_items(start=start, end=end, vertical_id=vertical_id)
        .values(entity_field, ENTITY_SOURCE_FIELD[kind])
        .annotate(
            revenue=Coalesce(
                Sum(F("unit_price") * F("quantity"), filter=~cancelled),
                Value(Decimal("0")),
                output_field=money,
            ),
            orders=Count("order_id", distinct=True),
            cancelled_orders=Count("order_id", distinct=True, filter=cancelled),
            units=Coalesce(Sum("quantity", filter=~cancelled), 0),
            delivered_orders=Count("order_id", distinct=True, filter=_delivered()),
            on_time_orders=Count("order_id", distinct=True, filter=_on_time()),
        )
        .filter(orders__gte=max(min_orders, 1))
        .annotate(
            review_count=_review_aggregate(**review_scope, function=("COUNT", "id")),
            review_sum=_review_aggregate(**review_scope, function=("SUM", "score")),
        )
        .annotate(
            rating=_shrunk(
                successes=F("review_sum"),
                trials=F("review_count"),
                prior_mean=priors.rating_mean,
                strength=priors.rating_strength,
            ),
            on_time_rate=_shrunk(
                successes=F("on_time_orders"),
                trials=F("delivered_orders"),
                prior_mean=priors.on_time_rate,
                strength=priors.on_time_strength,
            ),
            cancellation_rate=_as_float(F("cancelled_orders")) / _as_float(F("orders")),
        )
        .annotate(
            entity_id=F(entity_field),
            entity_source_id=F(ENTITY_SOURCE_FIELD[kind]),
            **{
                norm: Window(PercentRank(), order_by=F(raw).asc())
                for raw, norm in COMPONENTS.values()
                if norm != "cancellation_norm"
            },
            cancellation_percent_rank=Window(
                PercentRank(), order_by=F("cancellation_rate").asc()
            ),
        )
    )
    return rows
