"""ensure_admin and totp_code (accounts/management/commands)."""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pyotp
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import TOTPDevice, User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[3]


def _run(name, *args):
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def test_ensure_admin_creates_admin_with_confirmed_device():
    output = _run("ensure_admin", "--url", "http://127.0.0.1:9001/admin/")

    admin = User.objects.get(email="admin@dropi.local")
    device = TOTPDevice.objects.get(user=admin)
    assert admin.is_superuser
    assert admin.is_staff
    assert device.confirmed_at is not None
    assert "(sign in at http://127.0.0.1:9001/admin/)" in output
    assert f"secret:      {device.secret}\n" in output
    uri = re.search(r"otpauth://\S+", output).group()
    assert pyotp.parse_uri(uri).secret == device.secret
    assert "python manage.py totp_code admin@dropi.local" in output
    password = re.search(r"admin@dropi\.local / (\S+)", output).group(1)
    assert admin.check_password(password)


def test_printed_password_and_secret_open_the_admin():
    output = _run("ensure_admin")
    password = re.search(r"admin@dropi\.local / (\S+)", output).group(1)
    secret = re.search(r"secret:\s+(\S+)", output).group(1)
    client = Client()

    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": "admin@dropi.local",
            "password": password,
            "otp": pyotp.TOTP(secret).now(),
        },
        HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0",
    )

    assert response.status_code == 302
    assert "http://127.0.0.1:8000/admin/" in output


def test_ensure_admin_keeps_a_confirmed_device():
    _run("ensure_admin")
    secret = TOTPDevice.objects.get().secret

    output = _run("ensure_admin", "--url", "http://localhost:8080/admin/")

    assert TOTPDevice.objects.get().secret == secret
    assert User.objects.count() == 1
    assert "already exists; sign in at http://localhost:8080/admin/" in output
    assert "TOTP device already confirmed" in output
    assert secret not in output


def test_ensure_admin_enrols_an_existing_admin_without_device():
    admin = User.objects.create_superuser(email="admin@dropi.local", password="x")
    TOTPDevice.objects.create(user=admin, secret=pyotp.random_base32(32))

    output = _run("ensure_admin")

    device = TOTPDevice.objects.get(user=admin)
    assert device.confirmed_at is not None
    assert f"secret:      {device.secret}" in output
    assert admin.check_password("x")


def test_ensure_admin_leaves_an_existing_non_staff_account_alone():
    UserFactory(email="admin@dropi.local")

    with pytest.raises(CommandError, match="exists but is not staff"):
        _run("ensure_admin")

    assert not TOTPDevice.objects.exists()


def test_ensure_admin_refuses_a_bad_url():
    with pytest.raises(CommandError, match="not an http"):
        _run("ensure_admin", "--url", "127.0.0.1:8000/admin/")

    assert not User.objects.exists()


def test_totp_code_prints_the_current_code_when_debug(settings):
    settings.DEBUG = True
    user = UserFactory(email="jefa@example.com", is_staff=True)
    device = TOTPDevice.objects.create(user=user, secret=pyotp.random_base32(32))

    output = _run("totp_code", "JEFA@example.com")

    assert output.strip() == pyotp.TOTP(device.secret).now()


def test_totp_code_is_refused_without_debug(settings):
    settings.DEBUG = False
    user = UserFactory(email="jefa@example.com", is_staff=True)
    TOTPDevice.objects.create(user=user, secret=pyotp.random_base32(32))

    with pytest.raises(CommandError, match="DEBUG=True"):
        _run("totp_code", user.email)


def test_totp_code_names_a_missing_user_or_device(settings):
    settings.DEBUG = True
    UserFactory(email="jefa@example.com")

    with pytest.raises(
        CommandError, match=re.escape("No user with email nadie@example.com")
    ):
        _run("totp_code", "nadie@example.com")
    with pytest.raises(CommandError, match=re.escape("totp_enroll jefa@example.com")):
        _run("totp_code", "jefa@example.com")


MAKE = shutil.which("make")


@pytest.mark.skipif(MAKE is None, reason="make is not installed")
def test_make_run_passes_host_and_port_to_ensure_admin():
    # -n prints the recipe without running it.
    dry_run = subprocess.run(  # noqa: S603 (fixed arguments)
        [MAKE, "-n", "run", "HOST=0.0.0.0", "PORT=9000"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert "manage.py ensure_admin --url http://0.0.0.0:9000/admin/" in dry_run
