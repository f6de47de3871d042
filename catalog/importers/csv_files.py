"""Stream records out of CSV files, plain or gzip-compressed.

Files are read with the ``csv`` module one record at a time, so memory does
not depend on the file's size. Records are numbered by the physical line on
which they start, which is what a person opening the file sees.
"""

import csv
import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from catalog.importers.errors import ImportFailed, RowProblem

# utf-8-sig drops the byte-order mark some exports (Olist's translation
# file among them) start with; it reads files without one unchanged.
ENCODING = "utf-8-sig"


def csv_path_find(*, directory: Path, basename: str) -> Path | None:
    """Return ``basename`` in ``directory``, else its ``.gz`` twin, or None."""
    for candidate in (directory / basename, directory / f"{basename}.gz"):
        if candidate.is_file():
            return candidate
    return None


def _open_text(path: Path) -> TextIO:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding=ENCODING, newline="")
    return path.open(encoding=ENCODING, newline="")


class CsvTable:
    """One CSV file with a known set of columns.

    ``columns`` must all be in the header; ``optional_columns`` may be; any
    other column makes the header wrong. Column order does not matter.
    """

    def __init__(
        self,
        *,
        path: Path,
        name: str,
        columns: tuple[str, ...],
        optional_columns: tuple[str, ...] = (),
    ) -> None:
        self.path = path
        self.name = name
        self.columns = columns
        self.optional_columns = optional_columns

    def header_problems(self) -> list[RowProblem]:
        """Check the header without reading further than its line."""
        try:
            with _open_text(self.path) as handle:
                header = next(csv.reader(handle), None)
        except (OSError, UnicodeDecodeError, EOFError, zlib.error) as exc:
            return [self._problem(0, "", f"cannot be read: {exc}")]
        return self._check_header(header)

    def records(self) -> Iterator[tuple[int, dict[str, str] | RowProblem]]:
        """Yield ``(line, values)`` per record, or ``(line, problem)``.

        A record with the wrong number of fields or broken quoting comes
        out as a problem; an undecodable or truncated file stops the import.
        """
        with _open_text(self.path) as handle:
            reader = csv.reader(handle, strict=True)
            header: list[str] = []
            line = 1
            while True:
                line = reader.line_num + 1
                try:
                    fields = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield line, self._problem(line, "", f"malformed CSV: {exc}")
                    continue
                except (UnicodeDecodeError, EOFError, OSError, zlib.error) as exc:
                    raise ImportFailed(
                        [self._problem(line, "", f"cannot be read: {exc}")]
                    ) from exc
                if not header:
                    header = fields
                    continue
                if not fields:
                    continue
                if len(fields) != len(header):
                    yield (
                        line,
                        self._problem(
                            line,
                            "",
                            f"expected {len(header)} fields, found {len(fields)}",
                        ),
                    )
                    continue
                yield line, dict(zip(header, fields, strict=True))

    def _check_header(self, header: list[str] | None) -> list[RowProblem]:
        if not header:
            return [self._problem(1, "", "empty file: no header line")]
        problems = []
        missing = [column for column in self.columns if column not in header]
        if missing:
            problems.append(
                self._problem(1, "", f"missing columns: {', '.join(missing)}")
            )
        allowed = set(self.columns) | set(self.optional_columns)
        unexpected = [column for column in header if column not in allowed]
        if unexpected:
            problems.append(
                self._problem(1, "", f"unexpected columns: {', '.join(unexpected)}")
            )
        repeated = sorted({column for column in header if header.count(column) > 1})
        if repeated:
            problems.append(
                self._problem(1, "", f"repeated columns: {', '.join(repeated)}")
            )
        return problems

    def _problem(self, line: int, column: str, message: str) -> RowProblem:
        return RowProblem(file=self.name, line=line, column=column, message=message)
