"""Attacks on the JWT login (POST /api/auth/login/), through real HTTP."""

import io
import itertools
from datetime import timedelta

import pyotp
import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import TokenFamily, TOTPDevice, User
from audit.models import AuditEvent
from fraud.models import BlocklistEntry, LoginAttempt, LoginLockout

ATTACKER = "203.0.113.5"
OWNER_ADDRESS = "198.51.100.7"
PASSWORD = "S3guro!pass"

_spoofed = (f"10.8.{n // 250}.{n % 250 + 1}" for n in itertools.count())


@pytest.fixture
def no_login_throttle(monkeypatch):
    # The per-address login throttle (10/min) would answer 429 before the
    # fraud block is reached; these tests look at the block itself.
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "login": "1000/min"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)


def _headers(address, browser_headers, spoof):
    headers = {"REMOTE_ADDR": address, **browser_headers}
    if spoof:
        headers["HTTP_X_FORWARDED_FOR"] = next(_spoofed)
    return headers


def _login(client, email, password, headers, otp=None):
    body = {"email": email, "password": password}
    if otp is not None:
        body["otp"] = otp
    return client.post(reverse("auth-login"), body, format="json", **headers)


@pytest.mark.django_db
@pytest.mark.parametrize("spoof", [False, True], ids=["plain", "spoofed-xff"])
def test_six_wrong_passwords_lock_the_pair_not_the_owner(
    api_client,
    browser_headers,
    mailoutbox,
    django_capture_on_commit_callbacks,
    spoof,
):
    owner = User.objects.create_user(email="duena@example.com", password=PASSWORD)

    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            _login(
                api_client,
                owner.email,
                "wrong",
                _headers(ATTACKER, browser_headers, spoof),
            )
            for _ in range(6)
        ]
    right_from_attacker = _login(
        api_client, owner.email, PASSWORD, _headers(ATTACKER, browser_headers, spoof)
    )
    owner_elsewhere = _login(
        api_client,
        owner.email,
        PASSWORD,
        _headers(OWNER_ADDRESS, browser_headers, spoof),
    )

    assert [a.status_code for a in answers] == [401, 401, 401, 401, 429, 429]
    assert right_from_attacker.status_code == 429
    assert 890 <= int(right_from_attacker["Retry-After"]) <= 900
    assert "access" not in right_from_attacker.json()
    assert owner_elsewhere.status_code == 200
    assert set(owner_elsewhere.json()) >= {"access", "refresh"}
    assert AccessAttempt.objects.get(username=owner.email).ip_address == ATTACKER
    assert TokenFamily.objects.get().user == owner
    assert LoginAttempt.objects.filter(address=ATTACKER, succeeded=False).count() == 7
    assert LoginAttempt.objects.get(succeeded=True).address == OWNER_ADDRESS
    assert LoginLockout.objects.get().address == ATTACKER
    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert (
        AuditEvent.objects.filter(
            action="login.success", actor_id=str(owner.pk)
        ).count()
        == 1
    )


@pytest.mark.django_db
@pytest.mark.parametrize("spoof", [False, True], ids=["plain", "spoofed-xff"])
def test_one_address_trying_twenty_accounts_is_blocked_for_all(
    api_client, browser_headers, no_login_throttle, spoof
):
    users = [
        User.objects.create_user(email=f"cuenta{n}@example.com", password=PASSWORD)
        for n in range(20)
    ]

    answers = [
        _login(
            api_client, user.email, "wrong", _headers(ATTACKER, browser_headers, spoof)
        )
        for user in users
    ]
    right_from_attacker = _login(
        api_client, users[0].email, PASSWORD, _headers(ATTACKER, browser_headers, spoof)
    )
    others = [
        _login(
            api_client,
            user.email,
            PASSWORD,
            _headers(OWNER_ADDRESS, browser_headers, spoof),
        )
        for user in (users[0], users[19])
    ]

    codes = [answer.json()["error"]["code"] for answer in answers]
    first_block = codes.index("login_blocked")
    assert first_block <= 7
    assert codes[first_block:] == ["login_blocked"] * (20 - first_block)
    assert {answer.status_code for answer in answers[first_block:]} == {403}
    assert 3590 <= int(answers[-1]["Retry-After"]) <= 3600
    assert right_from_attacker.status_code == 403
    assert right_from_attacker.json()["error"]["code"] == "login_blocked"
    assert [answer.status_code for answer in others] == [200, 200]
    entry = BlocklistEntry.objects.get()
    assert (entry.kind, entry.value) == ("address", ATTACKER)
    assert TokenFamily.objects.filter(ip_address=ATTACKER).count() == 0
    assert TokenFamily.objects.count() == 2


@pytest.mark.django_db
def test_staff_must_pass_totp(api_client, browser_headers):
    staff = User.objects.create_user(
        email="staff@example.com", password=PASSWORD, is_staff=True
    )
    device = TOTPDevice.objects.create(
        user=staff, secret=pyotp.random_base32(32), confirmed_at=timezone.now()
    )
    headers = _headers(OWNER_ADDRESS, browser_headers, False)

    without_code = _login(api_client, staff.email, PASSWORD, headers)
    wrong_code = _login(api_client, staff.email, PASSWORD, headers, otp="000000")
    with_code = _login(
        api_client, staff.email, PASSWORD, headers, otp=pyotp.TOTP(device.secret).now()
    )

    assert without_code.status_code == 401
    assert without_code.json()["error"]["code"] == "otp_required"
    assert "access" not in without_code.json()
    assert wrong_code.status_code == 401
    assert with_code.status_code == 200
    assert TokenFamily.objects.filter(user=staff).count() == 1


@pytest.mark.django_db
def test_a_risky_attempt_is_challenged_and_needs_the_code(api_client, browser_headers):
    for n in range(4):
        LoginAttempt.objects.create(
            email=f"otra{n}@example.com",
            address=ATTACKER,
            device_hash="x" * 64,
            succeeded=False,
            decision="allow",
        )
    enrolled = User.objects.create_user(email="con-totp@example.com", password=PASSWORD)
    device = TOTPDevice.objects.create(
        user=enrolled, secret=pyotp.random_base32(32), confirmed_at=timezone.now()
    )
    plain = User.objects.create_user(email="sin-totp@example.com", password=PASSWORD)
    headers = _headers(ATTACKER, browser_headers, False)

    challenged = _login(api_client, enrolled.email, PASSWORD, headers)
    answered = _login(
        api_client,
        enrolled.email,
        PASSWORD,
        headers,
        otp=pyotp.TOTP(device.secret).now(),
    )
    refused = _login(api_client, plain.email, PASSWORD, headers)

    assert challenged.status_code == 401
    assert challenged.json()["error"]["code"] == "otp_required"
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "challenge_refused"
    assert answered.status_code == 200
    assert list(TokenFamily.objects.values_list("user__email", flat=True)) == [
        enrolled.email
    ]
    assert LoginAttempt.objects.filter(decision="challenge").count() == 3


@pytest.mark.django_db
def test_staff_unlock_an_account_by_command(api_client, browser_headers):
    owner = User.objects.create_user(email="duena@example.com", password=PASSWORD)
    headers = _headers(ATTACKER, browser_headers, False)
    for _ in range(5):
        _login(api_client, owner.email, "wrong", headers)
    out = io.StringIO()

    call_command("axes_reset_username", owner.email, stdout=out)
    answer = _login(api_client, owner.email, PASSWORD, headers)

    assert "attempts removed" in out.getvalue()
    assert not AccessAttempt.objects.exists()
    assert answer.status_code == 200


@pytest.mark.django_db
def test_staff_unlock_an_account_in_the_admin(api_client, client, browser_headers):
    owner = User.objects.create_user(email="duena@example.com", password=PASSWORD)
    admin = User.objects.create_superuser(email="jefa@example.com", password=PASSWORD)
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    headers = _headers(ATTACKER, browser_headers, False)
    for _ in range(5):
        _login(api_client, owner.email, "wrong", headers)
    attempt = AccessAttempt.objects.get()

    removed = client.post(
        f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}
    )
    answer = _login(api_client, owner.email, PASSWORD, headers)

    assert removed.status_code == 302
    assert answer.status_code == 200
    deletion = AuditEvent.objects.get(
        action="admin.delete", object_type="axes.accessattempt"
    )
    assert deletion.before["username"] == owner.email


@pytest.mark.django_db
def test_the_lockout_tier_grows_for_a_repeat_offender(api_client, browser_headers):
    owner = User.objects.create_user(email="duena@example.com", password=PASSWORD)
    headers = _headers(ATTACKER, browser_headers, False)
    for _ in range(5):
        _login(api_client, owner.email, "wrong", headers)
    past = timezone.now() - timedelta(days=1)
    AccessAttempt.objects.update(attempt_time=past)
    AccessAttempt.objects.get().expiration.__class__.objects.update(expires_at=past)
    LoginLockout.objects.update(locked_until=past)

    answers = [_login(api_client, owner.email, "wrong", headers) for _ in range(5)]

    assert [a.status_code for a in answers] == [401, 401, 401, 401, 429]
    assert 3590 <= int(answers[-1]["Retry-After"]) <= 3600


@pytest.mark.django_db
def test_behind_a_declared_proxy_the_client_is_read_from_the_right(
    api_client, browser_headers, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    owner = User.objects.create_user(email="duena@example.com", password=PASSWORD)
    proxy = {"REMOTE_ADDR": "10.0.0.1", **browser_headers}
    # The attacker writes addresses of its own at the left; the proxy
    # appends the real one at the right.
    answers = [
        _login(
            api_client,
            owner.email,
            "wrong",
            {**proxy, "HTTP_X_FORWARDED_FOR": f"1.2.3.{n}, {ATTACKER}"},
        )
        for n in range(5)
    ]
    owner_behind_proxy = _login(
        api_client,
        owner.email,
        PASSWORD,
        {**proxy, "HTTP_X_FORWARDED_FOR": OWNER_ADDRESS},
    )

    assert [a.status_code for a in answers] == [401, 401, 401, 401, 429]
    assert owner_behind_proxy.status_code == 200
    assert AccessAttempt.objects.get().ip_address == ATTACKER
    assert LoginAttempt.objects.get(succeeded=True).address == OWNER_ADDRESS
