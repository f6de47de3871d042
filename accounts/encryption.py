"""Encryption at rest of secrets kept in the accounts tables (TOTP).

Fernet (AES-128-CBC with an HMAC-SHA256 tag) from ``cryptography``. The
key is ``settings.TOTP_ENCRYPTION_KEY``: one Fernet key, or several
separated by commas (the first encrypts, all decrypt, so a new key can be
put in front of the old one). When it is empty, a key is derived from
``SECRET_KEY`` with HKDF/SHA-256, so changing ``SECRET_KEY`` then makes
every stored secret unreadable and every user must enrol again.
"""

import base64
import functools
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

# Fixed labels of the derivation: changing them changes the derived key.
_HKDF_SALT = b"dropi.accounts.encryption"
_HKDF_INFO = b"accounts.TOTPDevice.secret"


class SecretUnreadable(Exception):
    """A stored secret cannot be decrypted with the configured keys."""


def encryption_key_derive(*, secret_key: str) -> str:
    """Return the Fernet key derived from ``secret_key`` (HKDF/SHA-256)."""
    raw = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=_HKDF_INFO
    ).derive(secret_key.encode())

    return base64.urlsafe_b64encode(raw).decode()


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "TOTP_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64 "
            "bytes each), separated by commas."
        ) from exc


def _configured_fernet() -> MultiFernet:
    configured = getattr(settings, "TOTP_ENCRYPTION_KEY", "") or ""
    keys = tuple(key.strip() for key in configured.split(",") if key.strip())
    if not keys:
        keys = (encryption_key_derive(secret_key=settings.SECRET_KEY),)

    return _fernet(keys)


def secret_encrypt(value: str) -> str:
    """Encrypt ``value`` with the first configured key (a new IV each time)."""
    return _configured_fernet().encrypt(value.encode()).decode()


def secret_decrypt(token: str) -> str:
    """Decrypt a ``secret_encrypt`` token; raise ``SecretUnreadable``."""
    try:
        return _configured_fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable from exc


def encryption_key_check() -> None:
    """Build the configured keys now; raise ``ImproperlyConfigured`` if bad."""
    _configured_fernet()
