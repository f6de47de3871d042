"""Turn CSV text into typed values, or say which column is wrong and why."""

import re
from datetime import UTC, datetime, tzinfo
from decimal import Decimal, InvalidOperation

from catalog.importers.errors import RowError

# Naive wall-clock time, with or without the time of day; nothing else
# (an offset in the text would contradict the source's zone).
DATETIME_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?")
SMALLINT_MAX = 32767


def _stripped(values: dict[str, str], column: str, *, required: bool) -> str:
    raw = values.get(column, "").strip()
    if required and not raw:
        raise RowError(column, "is empty")
    return raw


def text_field(
    values: dict[str, str],
    column: str,
    *,
    max_length: int,
    required: bool = False,
) -> str:
    """Return the text as it is (spaces kept), checked against a length."""
    value = values.get(column, "")
    if required and not value.strip():
        raise RowError(column, "is empty")
    if len(value) > max_length:
        raise RowError(column, f"is longer than {max_length} characters")
    return value


def datetime_field(
    values: dict[str, str],
    column: str,
    *,
    source_tz: tzinfo,
    required: bool = False,
) -> datetime | None:
    """Read a naive local timestamp and return it as an aware UTC datetime.

    The source writes wall-clock time without an offset; it is interpreted
    in ``source_tz``. A wall time that a daylight-saving change skipped or
    repeated resolves with ``fold=0`` (the offset in force before the
    change), so the result is always the same for the same text.
    """
    raw = _stripped(values, column, required=required)
    if not raw:
        return None
    problem = RowError(column, f"invalid date {raw!r} (expected YYYY-MM-DD HH:MM:SS)")
    if not DATETIME_PATTERN.fullmatch(raw):
        raise problem
    try:
        naive = datetime.fromisoformat(raw)
    except ValueError:
        raise problem from None
    return naive.replace(tzinfo=source_tz).astimezone(UTC)


def integer_field(
    values: dict[str, str],
    column: str,
    *,
    minimum: int = 0,
    maximum: int = SMALLINT_MAX,
    required: bool = False,
) -> int | None:
    """Read a whole number within ``minimum``..``maximum``."""
    raw = _stripped(values, column, required=required)
    if not raw:
        return None
    try:
        number = int(raw)
    except ValueError:
        raise RowError(column, f"invalid whole number {raw!r}") from None
    if not minimum <= number <= maximum:
        raise RowError(column, f"{number} is outside {minimum}..{maximum}")
    return number


def money_field(
    values: dict[str, str],
    column: str,
    *,
    max_digits: int,
    decimal_places: int,
) -> Decimal:
    """Read a required, non-negative amount that fits the money columns."""
    raw = _stripped(values, column, required=True)
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise RowError(column, f"invalid decimal {raw!r}") from None
    if not amount.is_finite():
        raise RowError(column, f"invalid decimal {raw!r}")
    if amount < 0:
        raise RowError(column, f"{raw} is negative")
    if amount >= Decimal(10) ** (max_digits - decimal_places):
        raise RowError(column, f"{raw} is too large")
    rounded = amount.quantize(Decimal(1).scaleb(-decimal_places))
    if rounded != amount:
        raise RowError(column, f"{raw} has more than {decimal_places} decimal places")
    return rounded
