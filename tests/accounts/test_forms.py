"""The admin login form (accounts.forms), through real HTTP requests."""

import io

import pyotp
import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import TOTPDevice
from fraud.models import LoginAttempt
from tests.accounts.factories import UserFactory

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "S3guro!pass"
BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"}

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(email="jefa@example.com", is_staff=True)


@pytest.fixture
def device(staff):
    return TOTPDevice.objects.create(
        user=staff, secret=pyotp.random_base32(32), confirmed_at=timezone.now()
    )


def _code(device):
    return pyotp.TOTP(device.secret).now()


def _login(client, email, password=PASSWORD, otp=None):
    body = {"username": email, "password": password}
    if otp is not None:
        body["otp"] = otp
    return client.post(LOGIN, body, **BROWSER)


def _signed_in(client):
    return "_auth_user_id" in client.session


def _failures(email):
    attempt = AccessAttempt.objects.filter(username=email).first()
    return attempt.failures_since_start if attempt else 0


def test_login_page_asks_for_the_code(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="otp"' in html
    assert 'autocomplete="one-time-code"' in html
    assert 'name="password"' in html


def test_right_password_and_code_open_the_admin(staff, device):
    client = Client()

    response = _login(client, staff.email, otp=_code(device))

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert client.get("/admin/").status_code == 200
    assert LoginAttempt.objects.get(email=staff.email).succeeded is True


def test_password_without_code_is_refused_and_counted(staff, device):
    client = Client()

    response = _login(client, staff.email)

    assert response.status_code == 200
    assert not _signed_in(client)
    assert "código de autenticación" in response.content.decode()
    assert _failures(staff.email) == 1
    assert LoginAttempt.objects.get(email=staff.email).succeeded is False
    assert client.get("/admin/").status_code == 302


def test_wrong_code_is_refused_and_counted_by_axes(staff, device):
    client = Client()
    right = _code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = _login(client, staff.email, otp=wrong)

    assert response.status_code == 200
    assert not _signed_in(client)
    assert _failures(staff.email) == 1
    device.refresh_from_db()
    assert device.last_used_step == 0


def test_wrong_codes_lock_the_account_even_for_the_right_code(staff, device):
    client = Client()

    answers = [_login(client, staff.email, otp="000000") for _ in range(5)]
    last = _login(client, staff.email, otp=_code(device))

    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    assert last.status_code == 429
    assert "Retry-After" in last
    assert not _signed_in(client)


def test_a_code_is_accepted_once(staff, device):
    code = _code(device)
    assert _login(Client(), staff.email, otp=code).status_code == 302

    replay = Client()
    response = _login(replay, staff.email, otp=code)

    assert response.status_code == 200
    assert not _signed_in(replay)


def test_staff_without_device_is_told_to_enrol(staff):
    client = Client()

    response = _login(client, staff.email, otp="123456")

    assert response.status_code == 200
    assert not _signed_in(client)
    assert "python manage.py totp_enroll jefa@example.com" in response.content.decode()
    assert not TOTPDevice.objects.exists()


def test_device_from_totp_enroll_is_confirmed_by_first_admin_login(staff):
    uri = io.StringIO()
    call_command("totp_enroll", staff.email, stdout=uri)
    secret = pyotp.parse_uri(uri.getvalue().strip()).secret
    client = Client()

    response = _login(client, staff.email, otp=pyotp.TOTP(secret).now())

    assert response.status_code == 302
    assert _signed_in(client)
    assert TOTPDevice.objects.get(user=staff).confirmed_at is not None


def test_wrong_password_with_right_code_is_refused(staff, device):
    client = Client()

    response = _login(client, staff.email, password="wrong", otp=_code(device))

    assert response.status_code == 200
    assert not _signed_in(client)
    assert _failures(staff.email) == 1
    device.refresh_from_db()
    assert device.last_used_step == 0


def test_non_staff_cannot_use_the_admin_even_with_a_code():
    user = UserFactory(email="cliente@example.com")
    device = TOTPDevice.objects.create(
        user=user, secret=pyotp.random_base32(32), confirmed_at=timezone.now()
    )
    client = Client()

    response = _login(client, user.email, otp=_code(device))

    assert response.status_code == 200
    assert not _signed_in(client)
    assert client.get("/admin/").status_code == 302
