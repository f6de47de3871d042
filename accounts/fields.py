"""Model fields of the accounts app."""

import logging
from typing import Any

from django.db import models

from accounts.encryption import SecretUnreadable, secret_decrypt, secret_encrypt

logger = logging.getLogger(__name__)


class EncryptedSecretField(models.CharField):
    """A short text kept encrypted in the database, clear in Python.

    The column holds a Fernet token (``accounts.encryption``); the model
    attribute holds the clear value. A value that cannot be decrypted with
    the configured keys (the key or ``SECRET_KEY`` changed) is read as the
    empty string and logged; callers must treat an empty secret as
    unusable. Not searchable or orderable by value: each save encrypts
    with a new IV.
    """

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        try:
            return secret_decrypt(value)
        except SecretUnreadable:
            logger.error(
                "Stored secret cannot be decrypted",
                extra={"model": self.model._meta.label, "field": self.name},
            )
            return ""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value

        return secret_encrypt(value)
