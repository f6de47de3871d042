import logging
from datetime import date
from smtplib import SMTPException

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from rankings.services import ranking_nightly_run

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(OperationalError, InterfaceError, SMTPException, ConnectionError),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    max_retries=3,
)
def ranking_nightly_task(self, as_of: str | None = None) -> list[int]:
    """Recompute every ranking as of ``as_of`` (default today) and email it.

    Idempotent: a rerun for the same day replaces the published runs (the
    earlier ones become superseded) and sends the report again. Retries only
    on database, mail server and network outages. Returns the run ids.
    """
    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    logger.info(
        "Nightly rankings started",
        extra={"as_of": str(day), "task_id": self.request.id},
    )
    runs = ranking_nightly_run(as_of=day)
    return [run.pk for run in runs]
