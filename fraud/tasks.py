"""Background jobs of the fraud app."""

import logging

from celery import shared_task

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
