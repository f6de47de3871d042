"""Request-rate limits shared by every API view.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (set from the
environment in ``dropi/settings/drf.py``) and are read on each request, so a
settings override takes effect without a restart of the class. Counters live
in the default cache: Redis whenever ``REDIS_URL`` is set.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _SettingsRateMixin:
    scope: str

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return None if rate is None else str(rate)


class AnonymousAddressThrottle(_SettingsRateMixin, AnonRateThrottle):
    """Limit anonymous clients per address (``anon`` rate).

    The address is ``REMOTE_ADDR`` unless ``TRUSTED_PROXY_COUNT`` says how
    many proxies to trust in ``X-Forwarded-For``; a client therefore cannot
    pick its own address.
    """

    scope = "anon"


class SignedInUserThrottle(_SettingsRateMixin, UserRateThrottle):
    """Limit each signed-in user (``user`` rate); anonymous requests pass."""

    scope = "user"

    def get_cache_key(self, request, view) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


DEFAULT_THROTTLES = (AnonymousAddressThrottle, SignedInUserThrottle)
