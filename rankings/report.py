"""Turn published ranking runs into the shapes people and machines read.

Used by the ``rankings_report`` command and the nightly email.
"""

from collections.abc import Iterable
from decimal import Decimal

from rankings.metrics import COMPONENTS
from rankings.models import RankingEntry, RankingRun

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
    scope = run.vertical.name if run.vertical_id else "all verticals"
    return (
        f"{run.get_kind_display()} ranking as of {run.as_of} "
        f"({run.window_days} days, {scope}): {run.entry_count} entries, "
        f"run {run.pk}"
    )
