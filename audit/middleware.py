"""Open the audit context of each request and record API writes."""

import logging
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

from audit.context import AuditRequestContext, audit_context_open
from audit.models import AuditAction
from audit.services import audit_event_record

logger = logging.getLogger(__name__)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@cache
def _admin_paths() -> tuple[str, frozenset[str]]:
    try:
        index = reverse("admin:index")
        skipped = frozenset({reverse("admin:login"), reverse("admin:logout")})
    except NoReverseMatch:
        return "", frozenset()
    return index, skipped


def _is_admin_write(request: HttpRequest) -> bool:
    prefix, skipped = _admin_paths()
    return (
        bool(prefix)
        and request.method in WRITE_METHODS
        and request.path.startswith(prefix)
        and request.path not in skipped
    )


def _is_api_write(request: HttpRequest) -> bool:
    return (
        request.method in WRITE_METHODS
        and request.path.startswith(settings.AUDIT_API_PREFIX)
        and request.path not in settings.AUDIT_API_SKIP_PATHS
    )


class AuditMiddleware:
    """Record every API write once, with the before/after a service gave.

    Admin writes are recorded field by field by ``audit.receivers``; this
    middleware only marks the request so the receivers know.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = AuditRequestContext(
            request=request,
            is_admin_write=_is_admin_write(request),
            is_api_write=_is_api_write(request),
        )
        with audit_context_open(context):
            response = self.get_response(request)
            if context.is_api_write:
                self._record_api_write(request, response, context)

        return response

    def _record_api_write(
        self,
        request: HttpRequest,
        response: HttpResponse,
        context: AuditRequestContext,
    ) -> None:
        event = context.pending or {"action": AuditAction.API_WRITE}
        event_context = {
            **event.get("context", {}),
            "method": request.method,
            "path": request.path[:200],
            "status": response.status_code,
        }
        audit_event_record(
            **{**event, "context": event_context},
            request=request,
        )
