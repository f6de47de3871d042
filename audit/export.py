"""CSV export of audit events that spreadsheets cannot execute."""

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

from audit.models import AuditEvent

# A cell starting with one of these is read as a formula by spreadsheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = [
    "created_at",
    "action",
    "actor_id",
    "actor_repr",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "address",
    "user_agent",
    "context",
]


def csv_cell_neutralise(value: Any) -> str:
    """Render ``value`` as text, quoted with ' when it would be a formula."""
    if value is None:
        text = ""
    elif isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def audit_csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    """Yield the CSV text, header first, one line per event."""
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for event in events:
        yield writer.writerow(
            [csv_cell_neutralise(getattr(event, column)) for column in COLUMNS]
        )
