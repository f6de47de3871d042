from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from catalog.models import Order, Vertical
from rankings.models import (
    RankingEntry,
    RankingKind,
    RankingRun,
    RankingWeightSet,
    RunStatus,
)


def ranking_weight_set_get_for(
    *, kind: str, vertical: Vertical | None
) -> RankingWeightSet:
    """Return the vertical's own weight set, else the kind's default one.

    Raises ``RankingWeightSet.DoesNotExist`` when neither exists.
    """
    if vertical is not None:
        own = RankingWeightSet.objects.filter(kind=kind, vertical=vertical).first()
        if own is not None:
            return own
    return RankingWeightSet.objects.get(kind=kind, vertical__isnull=True)


def ranking_run_published_list(
    *,
    kind: str,
    vertical: Vertical | None = None,
    window_days: int | None = None,
) -> QuerySet[RankingRun]:
    """Return the published runs of a kind and vertical, latest as-of first."""
    runs = RankingRun.objects.filter(kind=kind, status=RunStatus.PUBLISHED)
    runs = runs.filter(vertical=vertical) if vertical else runs.filter(vertical=None)
    if window_days is not None:
        runs = runs.filter(window_days=window_days)
    return runs.select_related("vertical").order_by("-as_of", "-finished_at")


def ranking_run_latest_published(
    *,
    kind: str,
    vertical: Vertical | None = None,
    as_of: date | None = None,
    window_days: int | None = None,
) -> RankingRun | None:
    """Return the latest published run (or the one of exactly ``as_of``)."""
    runs = ranking_run_published_list(
        kind=kind, vertical=vertical, window_days=window_days
    )
    if as_of is not None:
        runs = runs.filter(as_of=as_of)
    return runs.first()


def ranking_run_previous_published(
    *, kind: str, vertical: Vertical | None, as_of: date, window_days: int
) -> RankingRun | None:
    """Return the comparable published run with the latest earlier as-of."""
    return (
        ranking_run_published_list(
            kind=kind, vertical=vertical, window_days=window_days
        )
        .filter(as_of__lt=as_of)
        .first()
    )


def ranking_entry_list(*, run: RankingRun) -> QuerySet[RankingEntry]:
    """Entries of a run in rank order, with their entity loaded."""
    return (
        RankingEntry.objects.filter(run=run)
        .select_related("store", "product")
        .order_by("rank")
    )


def ranking_entries_by_entity(*, run: RankingRun) -> dict[int | None, RankingEntry]:
    """Map entity id (store or product pk) to the run's entry for it."""
    field = "store_id" if run.kind == RankingKind.SELLERS else "product_id"
    return {
        getattr(entry, field): entry for entry in RankingEntry.objects.filter(run=run)
    }


def order_latest_purchase_date() -> date | None:
    """Return the local calendar date of the most recent order, if any."""
    latest = Order.objects.order_by("-purchased_at").values_list(
        "purchased_at", flat=True
    )[:1]
    if not latest:
        return None
    return timezone.localdate(latest[0])
