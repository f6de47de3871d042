"""Turn published ranking runs into the shapes people and machines read.

Used by the ``rankings_report`` command and the nightly email.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from rankings.metrics import COMPONENTS
from rankings.models import RankingEntry, RankingRun
from rankings.selectors import ranking_entries_by_entity, ranking_entry_list

TABLE_COLUMNS = (
    ("rank", "Rank", 4),
    ("move", "Move", 5),
    ("entity_id", "Entity", 32),
    ("score", "Score", 8),
    ("revenue", "Revenue", 12),
    ("orders", "Orders", 6),
    ("units", "Units", 6),
    ("rating", "Rating", 13),
    ("on_time_rate", "On time", 7),
    ("cancellation_rate", "Cancel", 7),
)


def _text(value: Decimal | int | None) -> str | None:
    return None if value is None else str(value)


def entry_entity_id(entry: RankingEntry) -> str:
    """Return the entity's source id, or its primary key when it has none."""
    return entry.entity_source_id or str(entry.entity_id)


def entry_as_dict(entry: RankingEntry) -> dict:
    """Return an entry as JSON-ready data; decimals become exact strings."""
    return {
        "rank": entry.rank,
        "entity_id": entry_entity_id(entry),
        "entity_pk": entry.entity_id,
        "score": str(entry.score),
        "previous_rank": entry.previous_rank,
        "movement": entry.movement,
        "revenue": str(entry.revenue),
        "orders": entry.orders,
        "cancelled_orders": entry.cancelled_orders,
        "units": entry.units,
        "review_count": entry.review_count,
        "review_mean": _text(entry.review_mean),
        "rating": str(entry.rating),
        "delivered_orders": entry.delivered_orders,
        "on_time_orders": entry.on_time_orders,
        "on_time_rate": str(entry.on_time_rate),
        "cancellation_rate": str(entry.cancellation_rate),
        "normalised": {
            name: str(getattr(entry, norm)) for name, (_raw, norm) in COMPONENTS.items()
        },
    }


def _movement_text(entry: RankingEntry) -> str:
    if entry.movement is None:
        return "new"
    if entry.movement == 0:
        return "="
    return f"{entry.movement:+d}"


def _percent(value: Decimal) -> str:
    return f"{value * 100:.1f}%"


def _table_cells(entry: RankingEntry) -> dict[str, str]:
    return {
        "rank": str(entry.rank),
        "move": _movement_text(entry),
        "entity_id": entry_entity_id(entry),
        "score": f"{entry.score:.4f}",
        "revenue": f"{entry.revenue:,.2f}",
        "orders": str(entry.orders),
        "units": str(entry.units),
        "rating": f"{entry.rating:.2f} ({entry.review_count})",
        "on_time_rate": _percent(entry.on_time_rate),
        "cancellation_rate": _percent(entry.cancellation_rate),
    }


def entries_as_table(entries: Iterable[RankingEntry]) -> str:
    """Return a fixed-width text table, one line per entry."""
    lines = [
        "  ".join(title.rjust(width) for _key, title, width in TABLE_COLUMNS),
    ]
    for entry in entries:
        cells = _table_cells(entry)
        lines.append(
            "  ".join(cells[key].rjust(width) for key, _title, width in TABLE_COLUMNS)
        )
    return "\n".join(lines)


def run_heading(run: RankingRun) -> str:
    """Return a one-line description of a run."""
    scope = run.vertical.name if run.vertical else "all verticals"
    return (
        f"{run.get_kind_display()} ranking as of {run.as_of} "
        f"({run.window_days} days, {scope}): {run.entry_count} entries, "
        f"run {run.pk}"
    )


TOP_WINNERS = 10
TOP_MOVERS = 5
# Smaller changes are noise: the smoothed on-time rate moves a little every
# run as the window's own mean moves.
ALERT_MIN_CHANGE = Decimal("0.05")


def _alerts(run: RankingRun, winners: list[RankingEntry]) -> list[str]:
    """Flag top entries whose cancellations rose or punctuality fell.

    Only changes of at least ALERT_MIN_CHANGE (5 points) are flagged.
    """
    if run.previous_run is None:
        return []
    earlier = ranking_entries_by_entity(run=run.previous_run)
    alerts = []
    for entry in winners:
        before = earlier.get(entry.entity_id)
        if before is None:
            continue
        name = entry_entity_id(entry)
        if entry.cancellation_rate - before.cancellation_rate >= ALERT_MIN_CHANGE:
            alerts.append(
                f"#{entry.rank} {name}: cancellation rate rose from "
                f"{_percent(before.cancellation_rate)} to "
                f"{_percent(entry.cancellation_rate)}"
            )
        if before.on_time_rate - entry.on_time_rate >= ALERT_MIN_CHANGE:
            alerts.append(
                f"#{entry.rank} {name}: on-time deliveries fell from "
                f"{_percent(before.on_time_rate)} to {_percent(entry.on_time_rate)}"
            )
    return alerts


def run_report_text(run: RankingRun) -> str:
    """Return the email section of one run: winners, movers and alerts."""
    entries = ranking_entry_list(run=run)
    winners = list(entries[:TOP_WINNERS])
    risers = entries.filter(movement__gt=0).order_by("-movement", "rank")
    fallers = entries.filter(movement__lt=0).order_by("movement", "rank")
    alerts = _alerts(run, winners)

    sections = [
        run_heading(run),
        f"Winners (top {TOP_WINNERS}):\n{entries_as_table(winners)}",
        f"Biggest movers up:\n{entries_as_table(risers[:TOP_MOVERS])}",
        f"Biggest movers down:\n{entries_as_table(fallers[:TOP_MOVERS])}",
        "Alerts:\n" + ("\n".join(alerts) if alerts else "none"),
    ]
    return "\n\n".join(sections)


def nightly_report_text(
    *, runs: list[RankingRun], failures: dict[str, str], as_of: date
) -> str:
    """Return the body of the nightly email."""
    parts = [f"DROPi rankings as of {as_of}."]
    parts.extend(
        f"FAILED: the {kind} ranking ({error})" for kind, error in failures.items()
    )
    parts.extend(run_report_text(run) for run in runs)
    return ("\n\n" + "=" * 72 + "\n\n").join(parts) + "\n"
