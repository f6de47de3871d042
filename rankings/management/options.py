"""Parsing of the options the ranking commands share."""

from datetime import date

from django.core.management.base import CommandError


def parse_date(value: str) -> date:
    """Parse ``YYYY-MM-DD`` given to --as-of. Raises CommandError."""
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            f"--as-of {value!r} is not a date in the form YYYY-MM-DD."
        ) from exc


def parse_as_of(value: str | None) -> date | None:
    """Parse an optional --as-of; None stays None."""
    return None if value is None else parse_date(value)


def parse_window_days(value: int) -> int:
    if value < 1:
        raise CommandError(
            f"--window-days must be a positive number of days, not {value}."
        )
    return value
