"""Messages of the accounts app in Spanish (default) and English."""

import re
import shutil
import subprocess
from pathlib import Path

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import TOTPDevice
from tests.accounts.api.test_tokens import login
from tests.accounts.factories import UserFactory, access_token_for

CATALOG = Path(__file__).resolve().parents[2] / "accounts/locale/en/LC_MESSAGES"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"}


def lock_out(client, email, **headers):
    """Send wrong passwords until the answer is no longer a 401."""
    for _ in range(10):
        response = login(client, email, "incorrecta-1", **headers)
        if response.status_code != 401:
            return response
    raise AssertionError("never locked")


@pytest.mark.django_db
def test_login_failure_is_spanish_by_default(api_client):
    UserFactory(email="ana@example.com")

    response = login(api_client, "ana@example.com", "incorrecta-1")

    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "invalid_credentials",
        "message": "Email o contraseña incorrectos.",
    }
    assert response["Content-Language"] == "es"


@pytest.mark.django_db
def test_login_failure_is_english_with_accept_language_en(api_client):
    UserFactory(email="ana@example.com")

    response = login(api_client, "ana@example.com", "incorrecta-1", **ENGLISH)

    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Wrong email or password."
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
def test_lockout_answer_is_spanish_by_default(api_client):
    UserFactory(email="ana@example.com")

    response = lock_out(api_client, "ana@example.com")

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked"
    assert response.json()["error"]["message"] == (
        "Demasiados intentos fallidos para esta cuenta desde esta dirección. "
        "Vuelva a intentarlo más tarde."
    )


@pytest.mark.django_db
def test_lockout_answer_is_english_with_accept_language_en(api_client):
    UserFactory(email="ana@example.com")

    response = lock_out(api_client, "ana@example.com", **ENGLISH)

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked"
    assert response.json()["error"]["message"] == (
        "Too many failed attempts for this account from this address. Try again later."
    )
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
def test_admin_lockout_page_is_english_with_accept_language_en():
    staff = UserFactory(is_staff=True, email="jefa@example.com")
    client = Client()
    for _ in range(5):
        client.post("/admin/login/", {"username": staff.email, "password": "x"})

    response = client.post(
        "/admin/login/",
        {"username": staff.email, "password": "S3guro!pass"},
        **ENGLISH,
    )

    assert response.status_code == 429
    assert response.content.decode() == (
        "Too many failed attempts for this account from this address. Try again later."
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, "Introduzca el email, la contraseña y el código de autenticación"),
        (ENGLISH, "Enter the correct email, password and authentication code"),
    ],
)
def test_admin_form_wrong_code_message_per_language(headers, expected):
    staff = UserFactory(is_staff=True, email="jefa@example.com")
    device = TOTPDevice.objects.create(
        user=staff, secret=pyotp.random_base32(32), confirmed_at=timezone.now()
    )
    valid = {
        pyotp.TOTP(device.secret).at(timezone.now(), counter_offset=o)
        for o in (-1, 0, 1)
    }
    wrong = next(c for c in ("000000", "111111", "222222") if c not in valid)

    response = Client().post(
        "/admin/login/?next=/admin/",
        {"username": staff.email, "password": "S3guro!pass", "otp": wrong},
        **BROWSER,
        **headers,
    )

    assert response.status_code == 200
    assert expected in response.content.decode()


@pytest.mark.django_db
def test_session_not_found_is_english_with_accept_language_en(api_client):
    user = UserFactory()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token_for(user)}")

    response = api_client.delete(
        "/api/auth/sesiones/00000000-0000-0000-0000-000000000000/", **ENGLISH
    )

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Session not found."


def test_every_catalog_entry_is_translated():
    text = (CATALOG / "django.po").read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    empty = [
        entry for entry in entries if re.search(r'^msgstr ""\Z', entry.strip(), re.M)
    ]

    assert len(entries) > 40
    assert empty == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt not installed")
def test_compiled_catalog_matches_the_po_file(tmp_path):
    compiled = tmp_path / "django.mo"

    subprocess.run(  # noqa: S603
        ["msgfmt", "-o", str(compiled), str(CATALOG / "django.po")],  # noqa: S607
        check=True,
    )

    assert compiled.read_bytes() == (CATALOG / "django.mo").read_bytes()
