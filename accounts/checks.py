"""System checks of the accounts app."""

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from accounts.encryption import encryption_key_check


@checks.register(checks.Tags.security)
def totp_encryption_key_check(app_configs: Any, **kwargs: Any) -> list[checks.Error]:
    """Refuse to start with a ``TOTP_ENCRYPTION_KEY`` Fernet cannot use."""
    try:
        encryption_key_check()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="accounts.E001")]

    return []
