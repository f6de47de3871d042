import json

import pytest
from django.core.management import CommandError
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from rankings.tasks import ranking_nightly_task
from tests.rankings.factories import command_output

pytestmark = pytest.mark.django_db


def test_creates_the_nightly_rankings_schedule_at_three_in_asuncion():
    output = command_output("setup_periodic_tasks")

    task = PeriodicTask.objects.select_related("crontab").get(name="rankings-nightly")
    assert (
        task.task == ranking_nightly_task.name == "rankings.tasks.ranking_nightly_task"
    )
    crontab = task.crontab
    assert (
        crontab.minute,
        crontab.hour,
        crontab.day_of_week,
        crontab.day_of_month,
        crontab.month_of_year,
    ) == ("0", "3", "*", "*", "*")
    assert str(crontab.timezone) == "America/Asuncion"
    assert json.loads(task.kwargs) == {}
    assert task.enabled
    assert "Created periodic task rankings-nightly." in output


def test_running_twice_creates_no_duplicate():
    command_output("setup_periodic_tasks")

    output = command_output("setup_periodic_tasks")

    assert PeriodicTask.objects.filter(name="rankings-nightly").count() == 1
    assert CrontabSchedule.objects.filter(hour="3", minute="0").count() == 1
    assert "Kept periodic task rankings-nightly: it exists already" in output


def test_keeps_a_schedule_staff_edited_in_the_admin():
    command_output("setup_periodic_tasks")
    task = PeriodicTask.objects.get(name="rankings-nightly")
    task.crontab = CrontabSchedule.objects.create(
        minute="30", hour="4", timezone="America/Asuncion"
    )
    task.enabled = False
    task.save()

    command_output("setup_periodic_tasks")

    task.refresh_from_db()
    assert (task.crontab.hour, task.crontab.minute, task.enabled) == ("4", "30", False)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"name": "x", "task": "t", "timezone": "UTC"}, "'x' lacks crontab"),
        (
            {"name": "x", "task": "t", "crontab": {"hours": "3"}, "timezone": "UTC"},
            "unknown crontab fields hours",
        ),
        (
            {
                "name": "x",
                "task": "t",
                "crontab": {"hour": "3"},
                "timezone": "Mars/Base",
            },
            "unknown time zone 'Mars/Base'",
        ),
    ],
)
def test_rejects_a_malformed_entry(settings, entry, message):
    settings.DROPI_PERIODIC_TASKS = [entry]

    with pytest.raises(CommandError, match=message):
        command_output("setup_periodic_tasks")

    assert not PeriodicTask.objects.filter(name="x").exists()
