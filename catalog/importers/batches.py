"""The machinery shared by file importers: batches, upserts, counts.

A ``Loader`` turns one CSV file into rows of one model. Records are parsed
one by one and written a batch at a time: repeated keys are found through
``SeenKeys``, foreign ids resolved with one ``IN`` query per referenced
table, existing rows fetched with one more, then new rows are created and
changed ones updated in bulk. Memory and queries depend on the batch size,
not on the size of the file.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from django.db import models, reset_queries
from django.utils import timezone

from catalog.importers.csv_files import CsvTable
from catalog.importers.errors import ImportFailed, RowError, RowProblem
from catalog.importers.seen_keys import SeenKeys

# Problems kept in the result for display; all of them are counted.
MAX_PROBLEMS_KEPT = 1000

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

ProgressCallback = Callable[[str, int], None]


@dataclass
class FileCounts:
    """What happened to the records of one file."""

    file: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


@dataclass
class ImportResult:
    source: str
    files: list[FileCounts] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    problems_total: int = 0
    # Categories named by products but missing from the translation file.
    categories_added: int = 0
    # Products whose price was set from their latest order item.
    prices_changed: int = 0

    def counts_for(self, basename: str) -> FileCounts:
        """Return the counts of the file named ``basename`` (or ``.gz``)."""
        for counts in self.files:
            if counts.file.startswith(basename):
                return counts
        raise KeyError(basename)

    @property
    def changed_anything(self) -> bool:
        return bool(
            self.categories_added
            or self.prices_changed
            or any(counts.created or counts.updated for counts in self.files)
        )


@dataclass
class Row:
    line: int
    key: str
    fields: dict[str, Any]
    # Foreign ids as the source spells them, by column.
    refs: dict[str, str] = field(default_factory=dict)


@dataclass
class Run:
    source: str
    currency: str
    source_tz: ZoneInfo
    batch_size: int
    skip_invalid: bool
    progress: ProgressCallback | None
    result: ImportResult
    seen: SeenKeys = field(default_factory=SeenKeys)
    started_at: datetime = field(default_factory=timezone.now)
    vertical_ids: dict[str, int] = field(default_factory=dict)

    def reject(self, counts: FileCounts, problem: RowProblem) -> None:
        if not self.skip_invalid:
            raise ImportFailed([problem])
        counts.rejected += 1
        self.result.problems_total += 1
        if len(self.result.problems) < MAX_PROBLEMS_KEPT:
            self.result.problems.append(problem)


Lookup = Callable[[set[str]], dict[str, Any]]


class Loader:
    """How one file becomes rows; subclasses fill in the blanks."""

    basename: ClassVar[str]
    columns: ClassVar[tuple[str, ...]]
    optional_columns: ClassVar[tuple[str, ...]] = ()
    key_columns: ClassVar[tuple[str, ...]]
    model: ClassVar[type[models.Model]]

    def __init__(self, *, run: Run, table: CsvTable) -> None:
        self.run = run
        self.table = table
        self.counts = FileCounts(file=table.name)

    # -- to override ---------------------------------------------------

    def parse(self, values: dict[str, str], line: int) -> Row:
        raise NotImplementedError

    def references(self) -> list[tuple[str, str, Lookup]]:
        """``(column, field attname, lookup)`` per foreign id in the file."""
        return []

    def db_key(self, row: Row) -> Any:
        return row.fields["source_id"]

    def existing(self, rows: list[Row]) -> dict[Any, models.Model]:
        return {
            obj.source_id: obj  # type: ignore[attr-defined]
            for obj in self._sourced(self.model, {self.db_key(row) for row in rows})
        }

    def write(self, rows: list[Row]) -> list[str]:
        statuses = upsert(
            self.model,
            [(self.db_key(row), row.fields) for row in rows],
            self.existing(rows),
            now=self.run.started_at,
        )
        return [statuses[self.db_key(row)] for row in rows]

    # -- shared machinery ----------------------------------------------

    def load(self) -> FileCounts:
        self.run.result.files.append(self.counts)
        batch: list[Row] = []
        for line, values in self.table.records():
            self.counts.read += 1
            if isinstance(values, RowProblem):
                self.run.reject(self.counts, values)
                continue
            try:
                batch.append(self.parse(values, line))
            except RowError as exc:
                self.reject(line, exc.column, exc.message)
                continue
            if len(batch) >= self.run.batch_size:
                self._flush(batch)
                batch = []
        self._flush(batch)
        return self.counts

    def reject(self, line: int, column: str, message: str) -> None:
        self.run.reject(
            self.counts,
            RowProblem(file=self.table.name, line=line, column=column, message=message),
        )

    def _flush(self, rows: list[Row]) -> None:
        rows = self._drop_repeats(rows)
        rows = self._resolve(rows)
        if rows:
            tally = Counter(self.write(rows))
            self.counts.created += tally[CREATED]
            self.counts.updated += tally[UPDATED]
            self.counts.unchanged += tally[UNCHANGED]
        # With DEBUG on, Django logs every query (bulk inserts included);
        # dropping the log per batch keeps memory flat in the local run.
        reset_queries()
        if self.run.progress is not None:
            self.run.progress(self.table.name, self.counts.read)

    def _drop_repeats(self, rows: list[Row]) -> list[Row]:
        repeats = self.run.seen.claim(
            kind=self.basename, keys=[(row.key, row.line) for row in rows]
        )
        kept = []
        for row, first_line in zip(rows, repeats, strict=True):
            if first_line is None:
                kept.append(row)
            else:
                self.reject(
                    row.line,
                    ", ".join(self.key_columns),
                    f"duplicate of line {first_line}",
                )
        return kept

    def _resolve(self, rows: list[Row]) -> list[Row]:
        for column, attname, lookup in self.references():
            found = lookup({row.refs[column] for row in rows})
            kept = []
            for row in rows:
                target = found.get(row.refs[column])
                if target is None:
                    self.reject(
                        row.line, column, f"unknown {column} {row.refs[column]!r}"
                    )
                    continue
                row.fields[attname] = target
                kept.append(row)
            rows = kept
        return rows

    def _sourced(
        self, model: type[models.Model], source_ids: Iterable[str]
    ) -> models.QuerySet:
        # The explicit ``source_id <> ''`` matches the partial unique index,
        # so PostgreSQL uses it even for long IN lists.
        return model._default_manager.filter(
            source=self.run.source, source_id__in=list(source_ids)
        ).exclude(source_id="")

    def _pks_by_source_id(self, model: type[models.Model]) -> Lookup:
        def lookup(source_ids: set[str]) -> dict[str, Any]:
            return dict(self._sourced(model, source_ids).values_list("source_id", "pk"))

        return lookup

    def _key(self, *parts: object) -> str:
        return "\x1f".join(str(part) for part in parts)


def upsert(
    model: type[models.Model],
    items: list[tuple[Any, dict[str, Any]]],
    existing: dict[Any, models.Model],
    *,
    now: datetime,
) -> dict[Any, str]:
    """Create missing rows, update those that differ; return each status."""
    statuses: dict[Any, str] = {}
    new: list[models.Model] = []
    changed: list[models.Model] = []
    changed_fields: set[str] = set()
    for key, values in items:
        obj = existing.get(key)
        if obj is None:
            new.append(model(**values))
            statuses[key] = CREATED
            continue
        diff = [name for name, value in values.items() if getattr(obj, name) != value]
        if not diff:
            statuses[key] = UNCHANGED
            continue
        for name in diff:
            setattr(obj, name, values[name])
        obj.updated_at = now  # type: ignore[attr-defined]
        changed.append(obj)
        changed_fields.update(diff)
        statuses[key] = UPDATED
    model._default_manager.bulk_create(new, batch_size=500)
    if changed:
        model._default_manager.bulk_update(
            changed, [*sorted(changed_fields), "updated_at"], batch_size=500
        )
    return statuses
