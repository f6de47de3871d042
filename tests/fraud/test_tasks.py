from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from fraud.models import LoginAttempt, LoginLockout
from fraud.tasks import login_history_prune_task
from tests.fraud.factories import LoginAttemptFactory


@pytest.mark.django_db
def test_prune_deletes_only_old_history():
    old = timezone.now() - timedelta(days=settings.FRAUD_LOGIN_HISTORY_DAYS + 1)
    LoginAttemptFactory(created_at=old)
    recent = LoginAttemptFactory()
    LoginLockout.objects.create(
        email="a@example.com",
        address="203.0.113.1",
        tier=0,
        locked_until=old,
        created_at=old,
    )

    deleted = login_history_prune_task.delay().get()

    assert deleted == 2
    assert list(LoginAttempt.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not LoginLockout.objects.exists()


def test_the_prune_job_is_in_the_periodic_schedule():
    names = {entry["task"] for entry in settings.DROPI_PERIODIC_TASKS}

    assert {
        "fraud.tasks.login_history_prune_task",
        "rankings.tasks.ranking_nightly_task",
    } <= names
