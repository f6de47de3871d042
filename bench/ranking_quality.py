"""Does the seller ranking find the sellers who keep winning?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dropi_bench \
        .venv/bin/python bench/ranking_quality.py [--weights revenue=1,...]

For each as-of date, ranks sellers over the 90 days before it, then looks at
the next 90 days: the Spearman correlation between each seller's score and
its next-period revenue, and the mean review score the top 50 received on
orders placed next period (every review of an order counts for each seller
in it, as in the ranking). The same is printed for two baselines over the
same eligible sellers: revenue alone and raw average rating alone. One JSON
line per (as-of, method), then one summary line per method.

``--weights``, ``--min-orders``, ``--rating-prior`` and ``--on-time-prior``
try other settings: everything runs in a transaction that is rolled back,
so neither the weights nor the runs are kept.
"""

import argparse
import json
import statistics
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from _django import django_setup, olist_loaded

AS_OF_DATES = ("2017-06-01", "2017-09-01", "2017-12-01", "2018-03-01", "2018-05-01")
TOP = 50


def average_ranks(values: list[float]) -> list[float]:
    """Return 1-based ranks, ties sharing the mean of their positions."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    position = 0
    while position < len(order):
        end = position
        while (
            end + 1 < len(order) and values[order[end + 1]] == values[order[position]]
        ):
            end += 1
        shared = (position + end) / 2 + 1
        for index in order[position : end + 1]:
            ranks[index] = shared
        position = end + 1
    return ranks


def spearman(xs: list[float], ys: list[float]) -> float | None:
    """Spearman's rho: Pearson's correlation of the average ranks."""
    try:
        return statistics.correlation(average_ranks(xs), average_ranks(ys))
    except statistics.StatisticsError:
        return None


def next_period(store_ids: list[int], start, end) -> tuple[dict, dict]:
    """Return next-period revenue per store and review scores per store."""
    from django.db.models import F, Sum

    from catalog.models import OrderItem, OrderStatus, Review

    items = OrderItem.objects.filter(
        store_id__in=store_ids,
        order__purchased_at__gte=start,
        order__purchased_at__lt=end,
    )
    revenue = dict(
        items.exclude(order__status=OrderStatus.CANCELLED)
        .values("store_id")
        .annotate(total=Sum(F("unit_price") * F("quantity")))
        .values_list("store_id", "total")
    )
    pairs = set(items.values_list("store_id", "order_id").distinct())
    scores_by_order = defaultdict(list)
    for order_id, score in Review.objects.filter(
        order_id__in={order_id for _store, order_id in pairs}
    ).values_list("order_id", "score"):
        scores_by_order[order_id].append(score)
    scores = defaultdict(list)
    for store_id, order_id in pairs:
        scores[store_id].extend(scores_by_order[order_id])
    return revenue, scores


def evaluate(as_of: date, window_days: int) -> list[dict]:
    from rankings.models import RankingKind
    from rankings.services import ranking_run_create, ranking_window_bounds

    run = ranking_run_create(
        kind=RankingKind.SELLERS, as_of=as_of, window_days=window_days
    )
    entries = list(run.entries.order_by("rank"))
    _start, end = ranking_window_bounds(as_of=as_of, window_days=window_days)
    revenue, scores = next_period(
        [e.store_id for e in entries], end, end + timedelta(days=90)
    )
    next_revenue = [float(revenue.get(e.store_id, 0)) for e in entries]
    methods = {
        "dropi_score": [float(e.score) for e in entries],
        "revenue_only": [float(e.revenue) for e in entries],
        "rating_only": [float(e.review_mean or 0) for e in entries],
    }
    tie_break = {
        "dropi_score": lambda e: e.rank,
        # Baselines break ties without the score, so the weights tried do not
        # move them.
        "revenue_only": lambda e: (-e.revenue, e.entity_source_id),
        "rating_only": lambda e: (
            -(e.review_mean or 0),
            -e.review_count,
            e.entity_source_id,
        ),
    }
    lines = []
    for method, values in methods.items():
        top = sorted(entries, key=tie_break[method])[:TOP]
        top_scores = [s for e in top for s in scores.get(e.store_id, [])]
        lines.append(
            {
                "as_of": str(as_of),
                "method": method,
                "sellers_ranked": len(entries),
                "spearman_next_revenue": _round(spearman(values, next_revenue)),
                "top50_next_mean_review": _round(
                    statistics.fmean(top_scores) if top_scores else None
                ),
                "top50_next_reviews": len(top_scores),
                "top50_next_revenue_share": _round(
                    sum(float(revenue.get(e.store_id, 0)) for e in top)
                    / (sum(next_revenue) or 1)
                ),
            }
        )
    return lines


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def apply_settings(args) -> dict:
    from rankings.models import RankingWeightSet

    weight_set = RankingWeightSet.objects.get(kind="sellers", vertical=None)
    for pair in filter(None, (args.weights or "").split(",")):
        name, value = pair.split("=")
        setattr(weight_set, f"weight_{name.strip()}", Decimal(value))
    if args.min_orders is not None:
        weight_set.min_orders = args.min_orders
    if args.rating_prior is not None:
        weight_set.rating_prior_strength = Decimal(args.rating_prior)
    if args.on_time_prior is not None:
        weight_set.on_time_prior_strength = Decimal(args.on_time_prior)
    weight_set.full_clean()
    weight_set.save()
    return {
        "weights": {
            name: str(getattr(weight_set, f"weight_{name}"))
            for name in (
                "revenue",
                "orders",
                "units",
                "rating",
                "on_time",
                "cancellation",
            )
        },
        "min_orders": weight_set.min_orders,
        "rating_prior_strength": str(weight_set.rating_prior_strength),
        "on_time_prior_strength": str(weight_set.on_time_prior_strength),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="Olist folder")
    parser.add_argument("--as-of", default=",".join(AS_OF_DATES))
    parser.add_argument("--window-days", type=int, default=90)
    parser.add_argument("--weights", default=None, help="e.g. revenue=1,rating=2")
    parser.add_argument("--min-orders", type=int, default=None)
    parser.add_argument("--rating-prior", default=None)
    parser.add_argument("--on-time-prior", default=None)
    args = parser.parse_args()

    django_setup()
    from django.conf import settings
    from django.db import transaction

    olist_loaded(args.data or settings.DROPI_OLIST_DIR)
    lines = []
    with transaction.atomic():
        used = apply_settings(args)
        for as_of in args.as_of.split(","):
            lines.extend(evaluate(date.fromisoformat(as_of), args.window_days))
        transaction.set_rollback(True)

    for line in lines:
        print(json.dumps(line))
    for method in ("dropi_score", "revenue_only", "rating_only"):
        own = [line for line in lines if line["method"] == method]
        rhos = [
            x["spearman_next_revenue"]
            for x in own
            if x["spearman_next_revenue"] is not None
        ]
        reviews = [
            x["top50_next_mean_review"]
            for x in own
            if x["top50_next_mean_review"] is not None
        ]
        print(
            json.dumps(
                {
                    "summary": method,
                    "dates": len(own),
                    "mean_spearman_next_revenue": _round(statistics.fmean(rhos))
                    if rhos
                    else None,
                    "mean_top50_next_mean_review": _round(statistics.fmean(reviews))
                    if reviews
                    else None,
                    "mean_top50_next_revenue_share": _round(
                        statistics.fmean(x["top50_next_revenue_share"] for x in own)
                    ),
                    **(used if method == "dropi_score" else {}),
                }
            )
        )


if __name__ == "__main__":
    main()
