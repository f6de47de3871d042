"""Hooks that django-axes calls (named in dropi/settings/fraud.py).

Axes counts failures per account and address; these functions make its
cool-off progressive, its usernames case-insensitive and its lockout
answer a JSON 429 with ``Retry-After``.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from fraud.client import client_address_get
from fraud.models import LoginLockout


def lockout_username_get(request: Any, credentials: dict | None = None) -> str | None:
    """Return the email being tried, lower-cased, from credentials or body."""
    value = None
    if credentials:
        value = credentials.get("email") or credentials.get("username")
    if value is None and request is not None:
        data = getattr(request, "data", None)
        if not hasattr(data, "get"):
            data = request.POST
        value = data.get("email") or data.get("username")
    if not isinstance(value, str):
        return None

    return value.strip().lower()


def lockout_tier_get(*, address: str) -> int:
    """Count the lockouts of ``address`` that ended within the tier window.

    The address is the client's identity here (the email may be unknown
    when axes asks), so an address that keeps locking accounts gets ever
    longer cool-offs, whichever account it tries.
    """
    now = timezone.now()
    return LoginLockout.objects.filter(
        address=address,
        created_at__gte=now - settings.FRAUD_LOCKOUT_TIER_WINDOW,
        locked_until__lte=now,
    ).count()


def lockout_cool_off_for_tier(tier: int) -> timedelta:
    tiers = settings.FRAUD_LOCKOUT_TIERS
    return tiers[min(tier, len(tiers) - 1)]


def lockout_cool_off_get(request: Any = None) -> timedelta:
    """Return the cool-off of this client (``AXES_COOLOFF_TIME`` callable)."""
    if request is None:
        return settings.FRAUD_LOCKOUT_TIERS[0]
    cached = request.__dict__.get("_fraud_cool_off")
    if cached is not None:
        return cached
    cool_off = lockout_cool_off_for_tier(
        lockout_tier_get(address=client_address_get(request))
    )
    request.__dict__["_fraud_cool_off"] = cool_off

    return cool_off


def lockout_response(
    request: Any,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """Answer a locked-out attempt: 429, JSON, and when to retry.

    The body is the same whether the account exists or not.
    """
    if (
        original_response is not None
        and original_response.status_code == 429
        and original_response.has_header("Retry-After")
    ):
        return original_response
    seconds = int(lockout_cool_off_get(request).total_seconds())
    decision = request.__dict__.get("fraud_login_decision")
    blocked_for = getattr(decision, "retry_after_seconds", None)
    if getattr(decision, "action", None) == "block" and blocked_for:
        seconds = max(seconds, blocked_for)
    response = JsonResponse(
        {
            "error": {
                "code": "locked_out",
                "message": _(
                    "Demasiados intentos fallidos. Vuelva a intentarlo más tarde."
                ),
                "retry_after_seconds": seconds,
            }
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)

    return response
