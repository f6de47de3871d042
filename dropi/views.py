"""Operational endpoints: health check for load balancers and monitors."""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse

logger = logging.getLogger(__name__)


def _check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: database unreachable")
        return False
    return True


def _check_broker() -> bool | None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    from dropi.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        logger.exception("Health check: broker unreachable")
        return False
    return True


def health(request: HttpRequest) -> JsonResponse:
    """Report whether the database and the broker answer (503 if not)."""
    database = _check_database()
    broker = _check_broker()
    healthy = database and broker is not False
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": "ok" if database else "down",
        "broker": {None: "in-process", True: "ok", False: "down"}[broker],
    }

    return JsonResponse(body, status=200 if healthy else 503)
