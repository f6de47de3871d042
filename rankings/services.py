import logging
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from catalog.models import Vertical
from rankings.metrics import COMPONENTS, Priors, entity_components, window_priors
from rankings.models import (
    RankingEntry,
    RankingKind,
    RankingRun,
    RankingWeightSet,
    RunStatus,
)
from rankings.report import nightly_report_text
from rankings.selectors import (
    ranking_entries_by_entity,
    ranking_run_previous_published,
    ranking_weight_set_get_for,
)

logger = logging.getLogger(__name__)

SIX_PLACES = Decimal("0.000001")
FOUR_PLACES = Decimal("0.0001")
ENTRY_BATCH_SIZE = 1000  # rows per INSERT when storing entries


def ranking_window_bounds(
    *, as_of: date, window_days: int
) -> tuple[datetime, datetime]:
    """Return [start, end): the window_days local days before as_of."""
    zone = ZoneInfo(settings.TIME_ZONE)
    end = datetime.combine(as_of, time.min, tzinfo=zone)
    start = datetime.combine(as_of - timedelta(days=window_days), time.min, tzinfo=zone)
    return start, end


# A run takes seconds; one still "running" after this long belongs to a
# process that was killed (an exception would have marked it failed).
ABANDONED_RUN_AFTER = timedelta(hours=2)


def _ranking_runs_abandoned_fail() -> None:
    cutoff = timezone.now() - ABANDONED_RUN_AFTER
    abandoned = RankingRun.objects.filter(
        status=RunStatus.RUNNING, started_at__lt=cutoff
    ).update(
        status=RunStatus.FAILED,
        finished_at=timezone.now(),
        error="Abandoned: the process running it stopped before it finished.",
    )
    if abandoned:
        logger.warning(
            "Abandoned ranking runs marked failed", extra={"run_count": abandoned}
        )


def ranking_run_create(
    *,
    kind: str,
    as_of: date,
    window_days: int = 90,
    vertical: Vertical | None = None,
) -> RankingRun:
    """Compute a ranking and publish it atomically.

    The run row is created first as ``running`` and committed on its own, so
    that a failure can be recorded: entries, the status change to
    ``published`` and the superseding of an earlier published run with the
    same (kind, vertical, as_of, window_days) happen in one transaction. If
    any step fails, that transaction rolls back (the earlier published run
    stays the latest), the run is marked ``failed`` with the error, and the
    exception propagates.

    Raises ``ValidationError`` for an unknown kind, a non-positive window or
    a missing weight set.
    """
    if kind not in RankingKind.values:
        raise ValidationError({"kind": f"Unknown ranking kind {kind!r}."})
    if window_days < 1:
        raise ValidationError({"window_days": "The window must be at least 1 day."})
    # A run as of a future day would publish an empty ranking over the live
    # one; tomorrow is the latest useful as-of (the window excludes it).
    if as_of > timezone.localdate() + timedelta(days=1):
        raise ValidationError({"as_of": f"{as_of} is in the future."})
    if as_of.toordinal() <= window_days + 1:
        raise ValidationError({"as_of": f"{as_of} leaves no room for the window."})
    try:
        weight_set = ranking_weight_set_get_for(kind=kind, vertical=vertical)
    except RankingWeightSet.DoesNotExist as exc:
        raise ValidationError(
            {"kind": f"No ranking weight set for {kind!r}; create one in the admin."}
        ) from exc

    _ranking_runs_abandoned_fail()
    run = RankingRun.objects.create(
        kind=kind,
        vertical=vertical,
        as_of=as_of,
        window_days=window_days,
        status=RunStatus.RUNNING,
        started_at=timezone.now(),
    )
    logger.info(
        "Ranking run started",
        extra={"ranking_run_id": run.pk, "kind": kind, "as_of": str(as_of)},
    )

    try:
        with transaction.atomic():
            _run_compute(run=run, weight_set=weight_set)
            _run_publish(run=run)
    except Exception as exc:
        run.status = RunStatus.FAILED
        run.error = f"{type(exc).__name__}: {exc}"
        run.finished_at = timezone.now()
        run.entry_count = 0
        run.save(update_fields=["status", "error", "finished_at", "entry_count"])
        logger.exception("Ranking run failed", extra={"ranking_run_id": run.pk})
        raise

    logger.info(
        "Ranking run published",
        extra={"ranking_run_id": run.pk, "entry_count": run.entry_count},
    )
    return run


def _weights_of(weight_set: RankingWeightSet) -> dict[str, Decimal]:
    return {name: getattr(weight_set, f"weight_{name}") for name in COMPONENTS}


def _run_parameters(
    *,
    weight_set: RankingWeightSet,
    priors: Priors,
    start: datetime,
    end: datetime,
    previous: RankingRun | None,
) -> dict:
    return {
        "weight_set_id": weight_set.pk,
        "weights": {name: str(w) for name, w in _weights_of(weight_set).items()},
        "min_orders": weight_set.min_orders,
        "rating_prior_mean": str(priors.rating_mean.quantize(FOUR_PLACES)),
        "rating_prior_strength": str(priors.rating_strength),
        "on_time_prior_rate": str(priors.on_time_rate.quantize(SIX_PLACES)),
        "on_time_prior_strength": str(priors.on_time_strength),
        "window_start": start.isoformat(),
        "window_end": end.isoformat(),
        "time_zone": settings.TIME_ZONE,
        "previous_run_id": previous.pk if previous else None,
    }


def _decimal(value: float | int | Decimal, places: Decimal) -> Decimal:
    # str() keeps the float's shortest repr, so 0.1 stays 0.1 before rounding.
    return Decimal(str(value)).quantize(places)


def _row_normalised(row: dict) -> dict[str, Decimal]:
    normalised = {
        norm: _decimal(row[norm], SIX_PLACES)
        for raw, norm in COMPONENTS.values()
        if norm != "cancellation_norm"
    }
    normalised["cancellation_norm"] = Decimal(1) - _decimal(
        row["cancellation_percent_rank"], SIX_PLACES
    )
    return normalised


def _row_score(normalised: dict[str, Decimal], weights: dict[str, Decimal]) -> Decimal:
    total = sum(weights.values(), Decimal(0))
    weighted = sum(
        (weights[name] * normalised[norm] for name, (_raw, norm) in COMPONENTS.items()),
        Decimal(0),
    )
    return (weighted / total).quantize(SIX_PLACES)


def _entry_build(*, run: RankingRun, row: dict, weights: dict) -> RankingEntry:
    normalised = _row_normalised(row)
    is_sellers = run.kind == RankingKind.SELLERS
    review_mean = None
    if row["review_count"]:
        review_mean = (Decimal(row["review_sum"]) / row["review_count"]).quantize(
            FOUR_PLACES
        )
    return RankingEntry(
        run=run,
        store_id=row["entity_id"] if is_sellers else None,
        product_id=None if is_sellers else row["entity_id"],
        entity_source_id=row["entity_source_id"] or "",
        rank=0,
        score=_row_score(normalised, weights),
        revenue=row["revenue"],
        orders=row["orders"],
        cancelled_orders=row["cancelled_orders"],
        units=row["units"],
        review_count=row["review_count"],
        review_mean=review_mean,
        rating=_decimal(row["rating"], FOUR_PLACES),
        delivered_orders=row["delivered_orders"],
        on_time_orders=row["on_time_orders"],
        on_time_rate=_decimal(row["on_time_rate"], SIX_PLACES),
        cancellation_rate=_decimal(row["cancellation_rate"], SIX_PLACES),
        **normalised,
    )


def _run_compute(*, run: RankingRun, weight_set: RankingWeightSet) -> None:
    """Compute the entries of ``run`` and store them with their movement."""
    start, end = ranking_window_bounds(as_of=run.as_of, window_days=run.window_days)
    priors = window_priors(
        start=start,
        end=end,
        vertical_id=run.vertical_id,
        rating_strength=weight_set.rating_prior_strength,
        on_time_strength=weight_set.on_time_prior_strength,
    )
    rows = entity_components(
        kind=run.kind,
        start=start,
        end=end,
        vertical_id=run.vertical_id,
        min_orders=weight_set.min_orders,
        priors=priors,
    )
    previous = ranking_run_previous_published(
        kind=run.kind,
        vertical=run.vertical,
        as_of=run.as_of,
        window_days=run.window_days,
    )
    previous_entries = ranking_entries_by_entity(run=previous) if previous else {}
    weights = _weights_of(weight_set)

    entries = [_entry_build(run=run, row=row, weights=weights) for row in rows]
    # Ties: more revenue, then more orders, then the source id, then the pk,
    # so the order never depends on the database's row order.
    entries.sort(
        key=lambda e: (
            -e.score,
            -e.revenue,
            -e.orders,
            e.entity_source_id,
            e.entity_id,
        )
    )
    for position, entry in enumerate(entries, start=1):
        entry.rank = position
        earlier = previous_entries.get(entry.entity_id)
        if earlier is not None:
            entry.previous_rank = earlier.rank
            entry.movement = earlier.rank - position
    RankingEntry.objects.bulk_create(entries, batch_size=ENTRY_BATCH_SIZE)

    run.entry_count = len(entries)
    run.previous_run = previous
    run.parameters = _run_parameters(
        weight_set=weight_set, priors=priors, start=start, end=end, previous=previous
    )


def _run_publish(*, run: RankingRun) -> None:
    """Supersede the published run with the same key and publish ``run``."""
    same_key = RankingRun.objects.select_for_update().filter(
        kind=run.kind,
        vertical=run.vertical,
        as_of=run.as_of,
        window_days=run.window_days,
        status=RunStatus.PUBLISHED,
    )
    superseded = same_key.exclude(pk=run.pk).update(status=RunStatus.SUPERSEDED)
    if superseded:
        logger.info(
            "Ranking run superseded a published run", extra={"ranking_run_id": run.pk}
        )
    run.status = RunStatus.PUBLISHED
    run.finished_at = timezone.now()
    run.error = ""
    run.save(
        update_fields=[
            "status",
            "finished_at",
            "error",
            "entry_count",
            "previous_run",
            "parameters",
            "updated_at",
        ]
    )


def ranking_nightly_run(*, as_of: date) -> list[RankingRun]:
    """Compute every kind for ``as_of`` and email the report.

    A kind that fails is named in the email and does not stop the others; if
    every kind fails, the last error is raised (so a task can retry). The
    email goes to settings.RANKINGS_REPORT_RECIPIENTS; with none configured
    it is skipped with a warning.
    """
    runs: list[RankingRun] = []
    failures: dict[str, str] = {}
    last_error: Exception | None = None
    # TODO: only the all-verticals rankings run nightly; a vertical with its
    # own weight set is ranked only by `compute_rankings --vertical`, so its
    # ranking goes stale unless someone runs it.
    for kind in RankingKind.values:
        try:
            runs.append(ranking_run_create(kind=kind, as_of=as_of))
        except Exception as exc:
            # Any failure of one kind is reported and must not cost the
            # other kinds their report; the run itself is recorded failed.
            failures[kind] = f"{type(exc).__name__}: {exc}"
            last_error = exc
    if not runs and last_error is not None:
        raise last_error

    ranking_report_send(runs=runs, failures=failures, as_of=as_of)
    return runs


def ranking_report_send(
    *, runs: list[RankingRun], failures: dict[str, str], as_of: date
) -> bool:
    """Email the ranking report; return False when nobody is to receive it."""
    recipients = settings.RANKINGS_REPORT_RECIPIENTS
    if not recipients:
        logger.warning("Ranking report not sent: no recipients configured")
        return False

    subject = f"DROPi rankings {as_of}"
    if failures:
        subject += f" ({len(failures)} failed)"
    send_mail(
        subject=subject,
        message=nightly_report_text(runs=runs, failures=failures, as_of=as_of),
        from_email=None,
        recipient_list=list(recipients),
    )

    logger.info(
        "Ranking report sent",
        extra={"as_of": str(as_of), "recipient_count": len(recipients)},
    )
    return True
