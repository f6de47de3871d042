"""Published ranking runs built directly, for API tests."""

from decimal import Decimal

from django.utils import timezone

from rankings.models import RankingEntry, RankingKind, RankingRun, RunStatus

ZERO_COMPONENTS = {
    "revenue": Decimal("0"),
    "orders": 0,
    "cancelled_orders": 0,
    "units": 0,
    "review_count": 0,
    "rating": Decimal("0"),
    "delivered_orders": 0,
    "on_time_orders": 0,
    "on_time_rate": Decimal("0"),
    "cancellation_rate": Decimal("0"),
    "revenue_norm": Decimal("0"),
    "orders_norm": Decimal("0"),
    "units_norm": Decimal("0"),
    "rating_norm": Decimal("0"),
    "on_time_norm": Decimal("0"),
    "cancellation_norm": Decimal("0"),
}


def published_run(
    as_of, entities, kind=RankingKind.SELLERS, status=RunStatus.PUBLISHED
):
    run = RankingRun.objects.create(
        kind=kind,
        as_of=as_of,
        window_days=90,
        status=status,
        started_at=timezone.now(),
        finished_at=timezone.now(),
        entry_count=len(entities),
    )
    field = "store" if kind == RankingKind.SELLERS else "product"
    for rank, entity in enumerate(entities, start=1):
        RankingEntry.objects.create(
            run=run,
            rank=rank,
            score=Decimal(1) / rank,
            **{field: entity},
            **ZERO_COMPONENTS,
        )
    return run
