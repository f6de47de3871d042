"""Answers for django-axes lockouts: JSON with Retry-After, never HTML.

``AxesMiddleware`` replaces the response of any request axes flagged as
locked out by what ``lockout_response`` returns. The JWT login view already
answers a lockout in the API's error shape, so its response is kept; any
other path (the admin login) gets a plain 429 with the same header.
"""

import math

from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

LOCKOUT_MARK = "dropi_lockout"


def lockout_retry_after(*, request: HttpRequest, username: str | None) -> int:
    """Return the seconds until the account-and-address lockout ends."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        # TODO: without AXES_COOLOFF_TIME the lock is permanent and only an
        # admin can lift it; clients are told to retry in an hour.
        return 3600
    last = AccessAttempt.objects.filter(
        username=username, ip_address=get_client_ip_address(request)
    ).aggregate(last=Max("attempt_time"))["last"]
    if last is None:
        return math.ceil(cool_off.total_seconds())
    remaining = (last + cool_off - timezone.now()).total_seconds()

    return max(1, math.ceil(remaining))


def lockout_message() -> str:
    return _(
        "Demasiados intentos fallidos para esta cuenta desde esta dirección. "
        "Vuelva a intentarlo más tarde."
    )


def lockout_json(*, retry_after: int) -> JsonResponse:
    response = JsonResponse(
        {
            "error": {
                "code": "locked",
                "message": lockout_message(),
                "retry_after_seconds": retry_after,
            }
        },
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    setattr(response, LOCKOUT_MARK, True)

    return response


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """Build the answer AxesMiddleware sends (``AXES_LOCKOUT_CALLABLE``)."""
    if original_response is not None and getattr(
        original_response, LOCKOUT_MARK, False
    ):
        return original_response
    username = lockout_username(request, credentials)
    retry_after = lockout_retry_after(request=request, username=username)
    if request.path.startswith("/api/"):
        return lockout_json(retry_after=retry_after)
    response = HttpResponse(lockout_message(), status=429, content_type="text/plain")
    response["Retry-After"] = str(retry_after)

    return response


def lockout_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """Return the account name axes counts failures under (lower-cased).

    The JWT login passes ``email=``; the admin form passes ``username=``;
    without credentials axes falls back to the form body. Lower-casing keeps
    ``Ana@x.com`` and ``ana@x.com`` on one counter, as they are one account.
    """
    source = credentials or getattr(request, "POST", None) or {}
    value = source.get("email") or source.get("username")
    if not isinstance(value, str):
        return None

    return value.strip().lower()
