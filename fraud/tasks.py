"""Background jobs of the fraud app."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings

from fraud.models import LoginLockout

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def login_lockout_owner_notify_task(self, *, lockout_id: int) -> bool:
    """Email the owner of a locked account; idempotent (flag on the row)."""
    from fraud.services import login_lockout_owner_notify

    lockout = LoginLockout.objects.filter(pk=lockout_id).first()
    if lockout is None:
        logger.warning(
            "Lockout to notify not found", extra={"login_lockout_id": lockout_id}
        )
        return False
    return login_lockout_owner_notify(lockout=lockout)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def login_history_prune_task(self) -> int:
    """Delete login history past ``FRAUD_LOGIN_HISTORY_DAYS`` (idempotent)."""
    from fraud.services import login_history_prune

    return login_history_prune(
        older_than=timedelta(days=settings.FRAUD_LOGIN_HISTORY_DAYS)
    )
