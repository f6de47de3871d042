"""Time the seller ranking against one bare SQL aggregate over the same data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dropi_bench \
        .venv/bin/python bench/rankings.py [--multiply N] [--as-of D]

Imports the Olist folder first when its orders are missing. ``--multiply N``
adds N-1 synthetic copies of every Olist order (same stores, products,
dates and reviews; fresh source ids) so the ranking runs over N times the
rows. Prints one JSON line: both timings (median of --repeat runs) and
``ratio`` = ranking / bare aggregate.
"""

import argparse
import json
import statistics
import time
from datetime import date

from _django import django_setup, olist_loaded

BARE_AGGREGATE = """
    SELECT i.store_id,
           SUM(i.unit_price * i.quantity),
           COUNT(DISTINCT i.order_id)
      FROM catalog_orderitem i
      JOIN catalog_order o ON o.id = i.order_id
     WHERE o.purchased_at >= %s AND o.purchased_at < %s
       AND o.status <> 'cancelled'
     GROUP BY i.store_id
"""


def _copy_columns(model, replace: dict[str, str]) -> tuple[str, str]:
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    return (
        ", ".join(columns),
        ", ".join(replace.get(column, f"t.{column}") for column in columns),
    )


def multiply(copies: int) -> int:
    """Add copies 2..copies of the Olist orders; return the item count."""
    from django.db import connection, transaction

    from catalog.models import Order, OrderItem, Review

    for copy in range(2, copies + 1):
        source = f"bench{copy}"
        if Order.objects.filter(source=source).exists():
            continue
        order_cols, order_select = _copy_columns(Order, {"source": f"'{source}'"})
        item_cols, item_select = _copy_columns(OrderItem, {"order_id": "n.id"})
        review_cols, review_select = _copy_columns(
            Review, {"order_id": "n.id", "source": f"'{source}'"}
        )
        join_new = (
            "JOIN catalog_order o ON o.id = t.order_id AND o.source = 'olist' "
            f"JOIN catalog_order n ON n.source = '{source}' "
            "AND n.source_id = o.source_id"
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO catalog_order ({order_cols}) "  # noqa: S608
                f"SELECT {order_select} FROM catalog_order t WHERE t.source = 'olist'"
            )
            # Fresh statistics, or the planner takes the new orders for
            # none and joins them by nested loops.
            cursor.execute("ANALYZE catalog_order")
            cursor.execute(
                f"INSERT INTO catalog_orderitem ({item_cols}) "  # noqa: S608
                f"SELECT {item_select} FROM catalog_orderitem t {join_new}"
            )
            cursor.execute(
                f"INSERT INTO catalog_review ({review_cols}) "  # noqa: S608
                f"SELECT {review_select} FROM catalog_review t {join_new}"
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE catalog_orderitem")
            cursor.execute("ANALYZE catalog_review")
    return OrderItem.objects.count()


def median_seconds(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="Olist folder")
    parser.add_argument("--as-of", default="2018-09-01")
    parser.add_argument("--window-days", type=int, default=90)
    parser.add_argument("--multiply", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    django_setup()
    from django.conf import settings
    from django.db import connection

    from catalog.models import OrderItem
    from rankings.models import RankingKind
    from rankings.services import ranking_run_create, ranking_window_bounds

    olist_orders = olist_loaded(args.data or settings.DROPI_OLIST_DIR)
    total_items = multiply(args.multiply)
    as_of = date.fromisoformat(args.as_of)
    start, end = ranking_window_bounds(as_of=as_of, window_days=args.window_days)
    window_items = OrderItem.objects.filter(
        order__purchased_at__gte=start, order__purchased_at__lt=end
    ).count()

    runs = []

    def ranking():
        runs.append(
            ranking_run_create(
                kind=RankingKind.SELLERS, as_of=as_of, window_days=args.window_days
            )
        )

    def bare():
        with connection.cursor() as cursor:
            cursor.execute(BARE_AGGREGATE, [start, end])
            cursor.fetchall()

    bare()  # warm the cache the same way for both
    bare_seconds = median_seconds(bare, args.repeat)
    ranking_seconds = median_seconds(ranking, args.repeat)

    print(
        json.dumps(
            {
                "bench": "rankings",
                "multiply": args.multiply,
                "olist_orders": olist_orders,
                "order_items_total": total_items,
                "as_of": str(as_of),
                "window_days": args.window_days,
                "order_items_in_window": window_items,
                "entries": runs[-1].entry_count,
                "ranking_seconds": round(ranking_seconds, 4),
                "bare_aggregate_seconds": round(bare_seconds, 4),
                "ratio": round(ranking_seconds / bare_seconds, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
