"""Scheduled jobs of the accounts app."""

import logging

from celery import shared_task

from accounts.services import session_flush_expired

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=3, retry_backoff=True, ignore_result=True)
def session_flush_expired_task(self) -> dict[str, int]:
    """Delete expired and long-revoked sessions and simplejwt token rows.

    Idempotent: running it twice (a redelivery) deletes nothing more.
    """
    return session_flush_expired()
