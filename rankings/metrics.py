"""Set-based computation of ranking components, one query per ranking.

Every number an entry holds comes out of one aggregate query over the order
items of the window, grouped by the entity (store or product), with window
functions for the normalisation. The same ORM expressions run on SQLite and
PostgreSQL.

Definitions (window = [start, end), by order purchase time):

- ``orders``: distinct orders with at least one item of the entity, any
  status; ``cancelled_orders`` the cancelled ones among them.
- ``revenue``: sum of unit_price * quantity over items of paid orders
  (paid, shipped or delivered: not placed-and-unpaid, cancelled or
  returned); ``units`` the sum of their quantities.
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
    Q,
    QuerySet,
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
# Tags each joined review row as id * SCORE_TAG + score (see _rating_rows).
SCORE_TAG = 8
ENTITY_FIELD: dict[str, str] = {
    RankingKind.SELLERS: "store_id",
    RankingKind.PRODUCTS: "product_id",
}
ENTITY_SOURCE_FIELD: dict[str, str] = {
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


def _unsold() -> Q:
    # Only paid orders are sales: an order still "placed" (never paid) costs
    # nothing to create and would let anyone inflate a store's figures;
    # cancelled and returned goods are no sale either.
    # TODO: returns are not a component of their own, so a seller with many
    # returns loses only their revenue, not score for the returns as such.
    return Q(
        order__status__in=[
            OrderStatus.PLACED,
            OrderStatus.CANCELLED,
            OrderStatus.RETURNED,
        ]
    )


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


def _ranked_groups(
    *,
    kind: str,
    start: datetime,
    end: datetime,
    vertical_id: int | None,
    min_orders: int,
) -> QuerySet:
    """Group the window's items by entity, keeping entities with min_orders."""
    entity_field = ENTITY_FIELD[kind]
    return (
        _window_items(start=start, end=end, vertical_id=vertical_id)
        .values(entity_field)
        .annotate(orders=Count("order_id", distinct=True))
        .filter(orders__gte=max(min_orders, 1))
    )


def _sales_rows(*, groups: QuerySet, kind: str, priors: Priors) -> QuerySet:
    """Add every component but the rating, with its percent rank."""
    entity_field = ENTITY_FIELD[kind]
    cancelled = _cancelled()
    unsold = _unsold()
    money = DecimalField(max_digits=16, decimal_places=2)
    return (
        groups.annotate(
            revenue=Coalesce(
                Sum(F("unit_price") * F("quantity"), filter=~unsold),
                Value(Decimal("0")),
                output_field=money,
            ),
            cancelled_orders=Count("order_id", distinct=True, filter=cancelled),
            units=Coalesce(Sum("quantity", filter=~unsold), 0),
            delivered_orders=Count("order_id", distinct=True, filter=_delivered()),
            on_time_orders=Count("order_id", distinct=True, filter=_on_time()),
        )
        .annotate(
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
                for name, (raw, norm) in COMPONENTS.items()
                if name not in ("rating", "cancellation")
            },
            cancellation_percent_rank=Window(
                PercentRank(), order_by=F("cancellation_rate").asc()
            ),
        )
    )


def _rating_rows(*, groups: QuerySet, kind: str, priors: Priors) -> QuerySet:
    """Add the review count, score sum, Bayesian rating and its percent rank.

    The join to reviews repeats a review once per item the entity has in the
    order. Counting distinct review ids undoes that for the count; for the
    sum, each joined row carries id * 8 + score (unique per review, as a
    score is below 8), so SUM(DISTINCT id * 8 + score) - 8 * SUM(DISTINCT id)
    is the exact sum of the scores of distinct reviews, in one scan.
    """
    entity_field = ENTITY_FIELD[kind]
    review_filter = Q(order__reviews__isnull=False)
    if kind == RankingKind.PRODUCTS:
        review_filter &= Q(order__reviews__product__isnull=True) | Q(
            order__reviews__product_id=F("product_id")
        )
    tagged = F("order__reviews__id") * SCORE_TAG + F("order__reviews__score")
    return (
        groups.annotate(
            review_count=Count(
                "order__reviews__id", distinct=True, filter=review_filter
            ),
            review_sum=Coalesce(
                Sum(tagged, distinct=True, filter=review_filter)
                - SCORE_TAG
                * Sum("order__reviews__id", distinct=True, filter=review_filter),
                0,
            ),
        )
        .annotate(
            rating=_shrunk(
                successes=F("review_sum"),
                trials=F("review_count"),
                prior_mean=priors.rating_mean,
                strength=priors.rating_strength,
            ),
        )
        .annotate(
            entity_id=F(entity_field),
            rating_norm=Window(PercentRank(), order_by=F("rating").asc()),
        )
    )


def entity_components(
    *,
    kind: str,
    start: datetime,
    end: datetime,
    vertical_id: int | None,
    min_orders: int,
    priors: Priors,
) -> list[dict]:
    """Return one row per ranked entity with raw and normalised components.

    Two grouped scans of the window's items over the same ranked set: the
    sales components, and the review components (which need a join that
    repeats items). Rows are dicts keyed ``entity_id``, ``entity_source_id``,
    the raw components, ``<component>_norm`` and
    ``cancellation_percent_rank``; unordered.
    """
    groups = _ranked_groups(
        kind=kind,
        start=start,
        end=end,
        vertical_id=vertical_id,
        min_orders=min_orders,
    )
    ratings = {
        row["entity_id"]: row
        for row in _rating_rows(groups=groups, kind=kind, priors=priors)
    }
    rows = []
    for row in _sales_rows(groups=groups, kind=kind, priors=priors):
        rating = ratings[row["entity_id"]]
        row.update(
            review_count=rating["review_count"],
            review_sum=rating["review_sum"],
            rating=rating["rating"],
            rating_norm=rating["rating_norm"],
        )
        rows.append(row)
    return rows
