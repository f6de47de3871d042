"""Parsing of the options the ranking commands share."""

from datetime import date

from django.core.management.base import CommandError


def parse_as_of(value: str | None) -> date | None:
    """Parse ``YYYY-MM-DD``; None stays None. Raises CommandError."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            f"--as-of {value!r} is not a date in the form YYYY-MM-DD."
        ) from exc


def parse_window_days(value: int) -> int:
    if value < 1:
        raise CommandError(
            f"--window-days must be a positive number of days, not {value}."
        )
    return value
