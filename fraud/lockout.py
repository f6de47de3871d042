"""Progressive cool-off for django-axes (``AXES_COOLOFF_TIME`` callable).

Axes counts failures per account and address; the n-th lockout of an
address within ``FRAUD_LOCKOUT_TIER_WINDOW`` lasts
``FRAUD_LOCKOUT_TIERS[n]``. The lockout answer itself (429, Retry-After)
is ``accounts.lockout.lockout_response``, which reads this cool-off.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from fraud.client import client_address_get
from fraud.models import LoginLockout


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
