"""Seed django-celery-beat from ``settings.DROPI_PERIODIC_TASKS``.

Generic: any app adds its nightly jobs to the settings list; this module only
creates what is missing, so staff edits in the admin survive every deploy.
"""

import json
import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

logger = logging.getLogger(__name__)

CRONTAB_FIELDS = ("minute", "hour", "day_of_week", "day_of_month", "month_of_year")
REQUIRED_KEYS = ("name", "task", "crontab", "timezone")


def _periodic_task_validate(entry: dict) -> None:
    missing = [key for key in REQUIRED_KEYS if not entry.get(key)]
    if missing:
        raise ValidationError(
            f"Periodic task {entry.get('name', '?')!r} lacks {', '.join(missing)}."
        )
    unknown = set(entry["crontab"]) - set(CRONTAB_FIELDS)
    if unknown:
        raise ValidationError(
            f"Periodic task {entry['name']!r}: unknown crontab fields "
            f"{', '.join(sorted(unknown))}."
        )
    try:
        ZoneInfo(entry["timezone"])
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            f"Periodic task {entry['name']!r}: unknown time zone {entry['timezone']!r}."
        ) from exc


@transaction.atomic
def periodic_task_create_missing(*, entry: dict) -> bool:
    """Create the periodic task described by ``entry`` unless its name exists.

    Returns True when it was created. An existing task is left exactly as it
    is (staff may have changed its schedule in the admin). Raises
    ``ValidationError`` for a malformed entry.
    """
    _periodic_task_validate(entry)
    if PeriodicTask.objects.filter(name=entry["name"]).exists():
        return False

    crontab = {field: str(entry["crontab"].get(field, "*")) for field in CRONTAB_FIELDS}
    schedule = CrontabSchedule.objects.filter(
        **crontab, timezone=entry["timezone"]
    ).first()
    if schedule is None:
        schedule = CrontabSchedule(**crontab, timezone=entry["timezone"])
        schedule.full_clean()
        schedule.save()
    task = PeriodicTask(
        name=entry["name"],
        task=entry["task"],
        crontab=schedule,
        kwargs=json.dumps(entry.get("kwargs", {})),
        description=entry.get("description", ""),
    )
    task.full_clean()
    task.save()

    logger.info("Periodic task created", extra={"periodic_task_name": task.name})
    return True
