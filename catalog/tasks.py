import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from catalog.services import orders_unpaid_expire

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=60,
    max_retries=3,
)
def orders_unpaid_expire_task(self) -> int:
    """Cancel unpaid orders older than ORDER_UNPAID_EXPIRY_HOURS.

    Idempotent: an order already cancelled (or paid meanwhile) is skipped.
    Returns how many orders were cancelled.
    """
    hours = settings.ORDER_UNPAID_EXPIRY_HOURS
    cancelled = orders_unpaid_expire(older_than=timedelta(hours=hours))
    logger.info(
        "Unpaid order expiry finished",
        extra={"cancelled": cancelled, "task_id": self.request.id},
    )
    return cancelled
