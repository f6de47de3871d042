"""System checks for facts the settings cannot guarantee by themselves."""

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.checks import Warning, register


@register()
def check_asuncion_time_zone_data(**kwargs: Any) -> list[Warning]:
    """Warn when the time-zone data predates Paraguay's permanent UTC-3.

    Paraguay stopped changing clocks in October 2024; older tz data puts
    America/Asuncion an hour off for half the year.
    """
    winter_noon = datetime(2026, 7, 1, 12, tzinfo=UTC)
    offset = winter_noon.astimezone(ZoneInfo("America/Asuncion")).utcoffset()
    if offset == timedelta(hours=-3):
        return []
    return [
        Warning(
            "Time-zone data is older than Paraguay's permanent UTC-3 (2024).",
            hint="Update the system tzdata, or install the tzdata package "
            "and set PYTHONTZPATH to an empty value.",
            id="dropi.W001",
        )
    ]
