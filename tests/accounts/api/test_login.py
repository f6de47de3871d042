import io

import pyotp
import pytest
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import TokenFamily, TOTPDevice
from fraud.services import LoginAction, LoginDecision
from tests.accounts.api.test_tokens import PASSWORD, login
from tests.accounts.factories import UserFactory


@pytest.fixture
def account(db):
    return UserFactory(email="cliente@example.com")


@pytest.fixture
def recorded(monkeypatch):
    calls = []

    def record(*, request, email, succeeded, decision):
        calls.append((email, succeeded, decision.action))

    monkeypatch.setattr("accounts.services.login_attempt_record", record)
    return calls


def decide(monkeypatch, action, **kwargs):
    decision = LoginDecision(action=action, **kwargs)
    monkeypatch.setattr(
        "accounts.services.login_attempt_check", lambda *, request, email: decision
    )


def confirmed_device(user):
    return TOTPDevice.objects.create(
        user=user, secret=pyotp.random_base32(32), confirmed_at=timezone.now()
    )


def wrong_code(device):
    totp = pyotp.TOTP(device.secret)
    valid = {totp.at(timezone.now(), counter_offset=step) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222") if code not in valid)


def test_malformed_otp_is_400(api_client, account):
    response = login(api_client, account.email, otp="12ab56")

    assert response.status_code == 400
    assert "otp" in response.json()["error"]["fields"]


def test_successful_login_is_recorded_with_its_decision(api_client, account, recorded):
    login(api_client, account.email)

    assert recorded == [(account.email, True, LoginAction.ALLOW)]


def test_sixth_attempt_is_locked_even_with_the_right_password(api_client, account):
    statuses = [
        login(api_client, account.email, "wrong-pass").status_code for _ in range(5)
    ]

    response = login(api_client, account.email)

    assert statuses == [401, 401, 401, 401, 429]
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "locked"
    assert error["message"]
    assert 890 <= error["retry_after_seconds"] <= 900
    assert response["Retry-After"] == str(error["retry_after_seconds"])
    assert not TokenFamily.objects.exists()


def test_lockout_does_not_reach_the_owner_at_another_address(api_client, account):
    for _ in range(5):
        login(api_client, account.email, "wrong-pass", REMOTE_ADDR="10.6.6.6")

    attacker = login(api_client, account.email, REMOTE_ADDR="10.6.6.6")
    owner = login(api_client, account.email, REMOTE_ADDR="10.1.1.1")

    assert attacker.status_code == 429
    assert owner.status_code == 200
    assert AccessAttempt.objects.get().ip_address == "10.6.6.6"


def test_forwarded_for_header_does_not_pick_the_counted_address(api_client, account):
    for n in range(5):
        login(
            api_client,
            account.email,
            "wrong-pass",
            REMOTE_ADDR="10.6.6.6",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )

    response = login(
        api_client,
        account.email,
        REMOTE_ADDR="10.6.6.6",
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )

    assert response.status_code == 429


def test_email_case_does_not_dodge_the_counter(api_client, account):
    for variant in [
        "CLIENTE@example.com",
        "Cliente@Example.com",
        "cliente@EXAMPLE.com",
    ]:
        login(api_client, variant, "wrong-pass")
    login(api_client, " cliente@example.COM", "wrong-pass")
    login(api_client, account.email, "wrong-pass")

    assert login(api_client, account.email).status_code == 429


def test_fraud_block_refuses_with_retry_after_but_keeps_its_reasons_private(
    api_client, account, monkeypatch, recorded
):
    decide(
        monkeypatch,
        LoginAction.BLOCK,
        reasons=["address_blocklisted"],
        retry_after_seconds=600,
    )

    response = login(api_client, account.email)

    assert response.status_code == 403
    assert response["Retry-After"] == "600"
    assert response.json()["error"] == {
        "code": "login_blocked",
        "message": response.json()["error"]["message"],
        "retry_after_seconds": 600,
    }
    assert recorded == [(account.email, False, LoginAction.BLOCK)]
    assert not TokenFamily.objects.exists()


def test_staff_without_totp_is_told_to_enrol(api_client, recorded, db):
    staff = UserFactory(is_staff=True)

    response = login(api_client, staff.email)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "totp_enrollment_required"
    assert "totp_enroll" in response.json()["error"]["message"]
    assert recorded == [(staff.email, False, LoginAction.ALLOW)]
    assert not TokenFamily.objects.exists()


def test_staff_with_totp_needs_the_code(api_client, db):
    staff = UserFactory(is_staff=True)
    device = confirmed_device(staff)

    missing = login(api_client, staff.email)
    wrong = login(api_client, staff.email, otp=wrong_code(device))
    right = login(api_client, staff.email, otp=pyotp.TOTP(device.secret).now())

    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "otp_required"
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "otp_invalid"
    assert right.status_code == 200
    assert TokenFamily.objects.filter(user=staff).count() == 1


def test_a_totp_code_works_once(api_client, db):
    staff = UserFactory(is_staff=True)
    code = pyotp.TOTP(confirmed_device(staff).secret).now()

    first = login(api_client, staff.email, otp=code)
    replay = login(api_client, staff.email, otp=code)

    assert first.status_code == 200
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "otp_invalid"


def test_wrong_codes_count_towards_the_lockout(api_client, db):
    staff = UserFactory(is_staff=True)
    device = confirmed_device(staff)

    statuses = [
        login(api_client, staff.email, otp=wrong_code(device)).status_code
        for _ in range(5)
    ]

    assert statuses == [401, 401, 401, 401, 429]


def test_challenge_without_device_is_refused(
    api_client, account, monkeypatch, recorded
):
    decide(
        monkeypatch,
        LoginAction.CHALLENGE,
        reasons=["new_device"],
        retry_after_seconds=300,
    )

    response = login(api_client, account.email)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "challenge_refused"
    assert "reasons" not in response.json()["error"]
    assert recorded == [(account.email, False, LoginAction.CHALLENGE)]
    assert not TokenFamily.objects.exists()


def test_challenge_with_device_needs_the_code(api_client, account, monkeypatch):
    decide(monkeypatch, LoginAction.CHALLENGE, reasons=["new_device"])
    device = confirmed_device(account)

    without = login(api_client, account.email)
    with_code = login(api_client, account.email, otp=pyotp.TOTP(device.secret).now())

    assert without.status_code == 401
    assert without.json()["error"]["code"] == "otp_required"
    assert with_code.status_code == 200


def test_login_is_throttled_per_address(api_client, account, monkeypatch):
    # Rates are read into the class when DRF loads; patch them there.
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "login": "3/min"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)

    statuses = [login(api_client, account.email, "x" * 9).status_code for _ in range(4)]
    other = login(api_client, account.email, REMOTE_ADDR="10.2.2.2")

    assert statuses == [401, 401, 401, 429]
    assert other.status_code == 200


def test_totp_enrolment_via_api(api_client, account):
    token = login(api_client, account.email).json()["access"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    start = api_client.post(
        reverse("auth-totp-start"), {"password": PASSWORD}, format="json"
    )
    secret = pyotp.parse_uri(start.json()["provisioning_uri"]).secret
    bad = api_client.post(reverse("auth-totp-confirm"), {"code": "12"}, format="json")
    good = api_client.post(
        reverse("auth-totp-confirm"), {"code": pyotp.TOTP(secret).now()}, format="json"
    )
    again = api_client.post(
        reverse("auth-totp-start"), {"password": PASSWORD}, format="json"
    )

    assert start.status_code == 201
    assert start.json()["provisioning_uri"].startswith("otpauth://totp/DROPi:")
    assert bad.status_code == 400
    assert good.status_code == 204
    assert again.status_code == 409
    assert api_client.get(reverse("auth-me")).json()["totp_enabled"] is True


def test_staff_enrolled_by_command_confirms_at_first_login(api_client, db):
    staff = UserFactory(is_staff=True)
    out = io.StringIO()
    call_command("totp_enroll", staff.email.upper(), stdout=out)
    secret = pyotp.parse_uri(out.getvalue().strip()).secret

    response = login(api_client, staff.email, otp=pyotp.TOTP(secret).now())

    assert response.status_code == 200
    assert TOTPDevice.objects.get(user=staff).confirmed_at is not None


def test_totp_enroll_command_refuses_unknown_email_and_confirmed_device(db):
    staff = UserFactory(is_staff=True)
    confirmed_device(staff)

    with pytest.raises(CommandError, match="No user"):
        call_command("totp_enroll", "nobody@example.com")
    with pytest.raises(CommandError, match="--reset"):
        call_command("totp_enroll", staff.email)
    call_command("totp_enroll", staff.email, "--reset", stdout=io.StringIO())
    assert TOTPDevice.objects.get(user=staff).confirmed_at is None


def test_totp_enrolment_needs_the_password_not_just_a_token(api_client, account):
    token = login(api_client, account.email).json()["access"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    without = api_client.post(reverse("auth-totp-start"), {}, format="json")
    wrong = api_client.post(
        reverse("auth-totp-start"), {"password": "not-the-password"}, format="json"
    )

    assert without.status_code == 400
    assert wrong.status_code == 403
    assert wrong.json()["error"]["code"] == "password_incorrect"
    assert not TOTPDevice.objects.filter(user=account).exists()
