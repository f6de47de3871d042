"""Turn every error a view can raise into one JSON shape.

The shape is ``{"error": {"code": ..., "message": ..., "fields": {...}}}``;
``fields`` is present only for validation errors. Django's own
``ValidationError``, ``PermissionDenied`` and ``Http404`` and the project's
``ApplicationError`` are translated here, so services never import DRF.
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from dropi.exceptions import ApplicationError

logger = logging.getLogger(__name__)


def _first_code(detail: Any) -> str:
    if isinstance(detail, dict):
        for value in detail.values():
            return _first_code(value)
    if isinstance(detail, list) and detail:
        return _first_code(detail[0])
    return getattr(detail, "code", None) or "invalid"


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Render ``exc`` as the project's error shape, or return ``None``."""
    if isinstance(exc, ApplicationError):
        body: dict[str, Any] = {"code": exc.code, "message": exc.message}
        if exc.extra:
            body["details"] = exc.extra
        return Response({"error": body}, status=exc.status_code)

    if isinstance(exc, IntegrityError):
        # A constraint caught a race the service did not foresee; the
        # service's transaction has rolled back, so nothing is half-written.
        logger.warning(
            "Integrity error answered as a conflict",
            extra={"view": type(context.get("view")).__name__},
        )
        body = {
            "code": "conflict",
            "message": _("La operación choca con un cambio simultáneo; reintente."),
        }
        return Response({"error": body}, status=status.HTTP_409_CONFLICT)

    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        return None

    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {}
        if isinstance(exc.detail, list):
            fields = {"non_field_errors": exc.detail}
        body = {
            "code": _first_code(exc.detail),
            "message": _("Los datos enviados no son válidos."),
            "fields": fields,
        }
        response.status_code = status.HTTP_400_BAD_REQUEST
    else:
        detail = getattr(exc, "detail", "")
        if isinstance(detail, dict):
            # simplejwt raises with a dict ({"detail": ..., "code": ...}).
            detail = detail.get("detail", "")
        if isinstance(detail, list):
            detail = detail[0] if detail else ""
        body = {
            "code": getattr(detail, "code", None) or "error",
            "message": str(detail),
        }
        wait = getattr(exc, "wait", None)
        if wait is not None:
            body["retry_after_seconds"] = int(wait)
    response.data = {"error": body}

    return response
