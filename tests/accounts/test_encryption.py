"""TOTP secrets encrypted at rest (accounts.encryption, accounts.fields)."""

import io

import pyotp
import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from accounts.checks import totp_encryption_key_check
from accounts.encryption import encryption_key_derive
from accounts.models import TOTPDevice
from accounts.services import totp_code_verify
from tests.accounts.api.test_tokens import login
from tests.accounts.factories import UserFactory

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def stored_secret(device):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT secret FROM accounts_totpdevice WHERE id = %s", [device.pk]
        )
        return cursor.fetchone()[0]


def enrolled(**user_fields):
    user = UserFactory(**user_fields)
    return TOTPDevice.objects.create(
        user=user, secret=SECRET, confirmed_at=timezone.now()
    )


@pytest.mark.django_db
def test_column_holds_a_token_and_login_with_a_code_still_works(api_client):
    device = enrolled(email="cifrado@example.com")

    raw = stored_secret(device)
    response = login(api_client, "cifrado@example.com", otp=pyotp.TOTP(SECRET).now())

    assert SECRET not in raw
    assert raw.startswith("gAAAAA")  # a Fernet token, version byte 0x80
    assert TOTPDevice.objects.get(pk=device.pk).secret == SECRET
    assert response.status_code == 200
    assert response.json()["access"]


@pytest.mark.django_db
def test_each_save_encrypts_with_a_fresh_iv():
    device = enrolled()
    first = stored_secret(device)

    device.save()

    assert stored_secret(device) != first
    assert TOTPDevice.objects.get(pk=device.pk).secret == SECRET


@pytest.mark.django_db
def test_configured_key_is_used_instead_of_the_derived_one():
    key = Fernet.generate_key().decode()

    with override_settings(TOTP_ENCRYPTION_KEY=key):
        device = enrolled()

    assert Fernet(key.encode()).decrypt(stored_secret(device).encode()) == (
        SECRET.encode()
    )


@pytest.mark.django_db
def test_an_old_key_behind_a_new_one_still_decrypts():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(TOTP_ENCRYPTION_KEY=old):
        device = enrolled()

    with override_settings(TOTP_ENCRYPTION_KEY=f"{new},{old}"):
        secret = TOTPDevice.objects.get(pk=device.pk).secret

    assert secret == SECRET


@pytest.mark.django_db
def test_derived_key_follows_secret_key(settings):
    before = encryption_key_derive(secret_key=settings.SECRET_KEY)

    assert encryption_key_derive(secret_key=settings.SECRET_KEY) == before
    assert encryption_key_derive(secret_key="another-secret-key") != before
    assert len(Fernet(before.encode())._signing_key) == 16


@pytest.mark.django_db
def test_unreadable_secret_refuses_codes_and_asks_for_a_reset(api_client):
    device = enrolled(email="rotada@example.com")
    code = pyotp.TOTP(SECRET).now()

    with override_settings(SECRET_KEY="a-different-secret-key-after-rotation"):
        reloaded = TOTPDevice.objects.get(pk=device.pk)
        verified = totp_code_verify(device=reloaded, code=code)
        response = login(api_client, "rotada@example.com", otp=code)

    assert reloaded.secret == ""
    assert not reloaded.is_readable
    assert verified is False
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "totp_reset_required"


@pytest.mark.django_db
def test_totp_code_command_refuses_an_unreadable_secret(settings):
    settings.DEBUG = True
    enrolled(email="rotada@example.com")

    settings.SECRET_KEY = "a-different-secret-key-after-rotation"
    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("totp_code", "rotada@example.com", stdout=io.StringIO())


@pytest.mark.django_db
def test_ensure_admin_replaces_an_unreadable_device(settings):
    admin = UserFactory(email="admin@dropi.local", is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=admin, secret=SECRET, confirmed_at=timezone.now())
    settings.SECRET_KEY = "a-different-secret-key-after-rotation"
    out = io.StringIO()

    call_command("ensure_admin", stdout=out)

    device = TOTPDevice.objects.get(user=admin)
    assert device.is_readable
    assert device.secret != SECRET
    assert f"secret:      {device.secret}" in out.getvalue()


def test_system_check_reports_a_malformed_key(settings):
    settings.TOTP_ENCRYPTION_KEY = "not-a-fernet-key"

    errors = totp_encryption_key_check(None)

    assert [error.id for error in errors] == ["accounts.E001"]


def test_system_check_accepts_the_derived_key(settings):
    settings.TOTP_ENCRYPTION_KEY = ""

    assert totp_encryption_key_check(None) == []
