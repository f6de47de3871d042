"""Remember which keys an import has already read, outside Python memory.

Detecting a key repeated anywhere in a file needs every key read so far.
Holding them in a Python set would grow with the data; a temporary table
in the import's own transaction grows on disk instead and is asked one
batch at a time. Works on PostgreSQL and SQLite alike.
"""

from collections.abc import Sequence

from django.db import connection

TABLE = "dropi_import_seen_keys"
# Rows per statement: keeps the parameter count far below SQLite's and
# PostgreSQL's limits whatever batch size the import uses.
CHUNK = 500


class SeenKeys:
    """Keys already read in this import, per kind (usually a file name)."""

    def open(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {TABLE} ("
                "kind varchar(100) NOT NULL, key text NOT NULL, "
                "line integer NOT NULL, PRIMARY KEY (kind, key))"
            )
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 (constant name)

    def close(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")

    def claim(self, *, kind: str, keys: Sequence[tuple[str, int]]) -> list[int | None]:
        """Record ``(key, line)`` pairs; say which keys were read before.

        Returns, aligned with ``keys``, None for the first occurrence of a
        key and otherwise the line where it first occurred (earlier in this
        batch or in an earlier one).
        """
        first_in_batch: dict[str, int] = {}
        for key, line in keys:
            first_in_batch.setdefault(key, line)
        added = self._insert(kind=kind, rows=list(first_in_batch.items()))
        earlier = self._lines(
            kind=kind, keys=[key for key in first_in_batch if key not in added]
        )
        repeats: list[int | None] = []
        for key, line in keys:
            if key in earlier:
                repeats.append(earlier[key])
            elif first_in_batch[key] != line:
                repeats.append(first_in_batch[key])
            else:
                repeats.append(None)
        return repeats

    def _insert(self, *, kind: str, rows: list[tuple[str, int]]) -> set[str]:
        """Insert the keys not there yet; return those that were inserted."""
        added: set[str] = set()
        with connection.cursor() as cursor:
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                marks = ", ".join(["(%s, %s, %s)"] * len(chunk))
                params = [value for key, line in chunk for value in (kind, key, line)]
                cursor.execute(
                    f"INSERT INTO {TABLE} (kind, key, line) "  # noqa: S608
                    f"VALUES {marks} ON CONFLICT DO NOTHING RETURNING key",
                    params,
                )
                added.update(key for (key,) in cursor.fetchall())
        return added

    def _lines(self, *, kind: str, keys: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        with connection.cursor() as cursor:
            for start in range(0, len(keys), CHUNK):
                chunk = keys[start : start + CHUNK]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT key, line FROM {TABLE} "  # noqa: S608 (constant name)
                    f"WHERE kind = %s AND key IN ({marks})",
                    [kind, *chunk],
                )
                found.update(cursor.fetchall())
        return found
