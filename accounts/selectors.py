"""Reads of the accounts app."""

import uuid

import pyotp
from django.contrib.auth.models import Group
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import TokenFamily, TOTPDevice, User
from accounts.roles import Tier


def session_list_for_user(*, user: User) -> QuerySet[TokenFamily]:
    """Return the user's open sessions, most recently used first."""
    return TokenFamily.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-last_used_at", "-created_at")


def session_get_for_user(*, user: User, session_id: uuid.UUID) -> TokenFamily | None:
    """Return one open session of ``user`` (``None`` for anyone else's)."""
    return session_list_for_user(user=user).filter(pk=session_id).first()


def user_tier_names(*, user: User) -> list[str]:
    """Return the tiers (tier groups) of ``user``, in tier order."""
    names = {g.name for g in user.groups.all()}
    return [tier for tier in Tier.values if tier in names]


def user_has_confirmed_totp(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def user_list() -> QuerySet[User]:
    """Return users with their groups prefetched (one query for all rows)."""
    return User.objects.prefetch_related(
        Prefetch("groups", queryset=Group.objects.only("id", "name"))
    )


def totp_device_for_user(*, user: User) -> TOTPDevice | None:
    """Return ``user``'s TOTP device, confirmed or not, or ``None``."""
    return TOTPDevice.objects.filter(user=user).first()


def totp_code_current(*, device: TOTPDevice) -> str:
    """Return the code ``device`` shows now (for the local run only)."""
    if not device.is_readable:
        raise ValueError("TOTP device has no usable secret")
    return pyotp.TOTP(device.secret).now()
