"""Attacks on the admin login, through real HTTP requests.

The same scenarios run against the JWT login in ``test_login_attacks_api``.
"""

import itertools
from datetime import timedelta

import pyotp
import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration
from django.utils import timezone

from accounts.models import TOTPDevice, User
from audit.models import AuditEvent
from fraud.models import BlocklistEntry, LoginAttempt, LoginLockout

LOGIN = "/admin/login/?next=/admin/"
ATTACKER = "203.0.113.5"
OWNER_ADDRESS = "198.51.100.7"
PASSWORD = "S3guro!pass"

_spoofed = (f"10.9.{n // 250}.{n % 250 + 1}" for n in itertools.count())


def _staff(email):
    # The admin login asks staff for a TOTP code (accounts.forms).
    user = User.objects.create_user(email=email, password=PASSWORD, is_staff=True)
    TOTPDevice.objects.create(
        user=user, secret=pyotp.random_base32(32), confirmed_at=timezone.now()
    )
    return user


def _code(email):
    device = TOTPDevice.objects.filter(user__email__iexact=email.strip()).first()
    return pyotp.TOTP(device.secret).now() if device else ""


def _headers(address, browser_headers, spoof):
    headers = {"REMOTE_ADDR": address, **browser_headers}
    if spoof:
        headers["HTTP_X_FORWARDED_FOR"] = next(_spoofed)
    return headers


def _login(client, email, password, headers):
    body = {"username": email, "password": password, "otp": _code(email)}
    return client.post(LOGIN, body, **headers)


def _expire_lockouts():
    past = timezone.now() - timedelta(days=1)
    AccessAttempt.objects.update(attempt_time=past)
    AccessAttemptExpiration.objects.update(expires_at=past)
    LoginLockout.objects.update(locked_until=past - timedelta(minutes=1))


@pytest.mark.django_db
@pytest.mark.parametrize("spoof", [False, True], ids=["plain", "spoofed-xff"])
def test_wrong_passwords_lock_one_account_from_one_address_only(
    client, browser_headers, mailoutbox, django_capture_on_commit_callbacks, spoof
):
    owner = _staff("duena@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            _login(
                client, owner.email, "wrong", _headers(ATTACKER, browser_headers, spoof)
            )
            for _ in range(6)
        ]
    right_from_attacker = _login(
        client, owner.email, PASSWORD, _headers(ATTACKER, browser_headers, spoof)
    )
    owner_elsewhere = _login(
        client, owner.email, PASSWORD, _headers(OWNER_ADDRESS, browser_headers, spoof)
    )

    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429, 429]
    assert answers[-1]["Retry-After"] == "900"
    assert right_from_attacker.status_code == 429
    assert owner_elsewhere.status_code == 302
    attempt = AccessAttempt.objects.get(username=owner.email)
    assert attempt.ip_address == ATTACKER
    lockout = LoginLockout.objects.get()
    assert (lockout.email, lockout.address, lockout.tier) == (owner.email, ATTACKER, 0)
    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert ATTACKER in mailoutbox[0].body
    assert LoginAttempt.objects.filter(address=ATTACKER, succeeded=False).count() == 7
    assert LoginAttempt.objects.get(succeeded=True).address == OWNER_ADDRESS
    assert AuditEvent.objects.filter(action="login.failure").count() == 7
    assert AuditEvent.objects.filter(action="login.lockout").count() == 1


@pytest.mark.django_db
def test_right_password_gets_in_after_the_cool_off(client, browser_headers):
    owner = _staff("duena@example.com")
    for _ in range(5):
        _login(client, owner.email, "wrong", _headers(ATTACKER, browser_headers, False))

    _expire_lockouts()
    answer = _login(
        client, owner.email, PASSWORD, _headers(ATTACKER, browser_headers, False)
    )

    assert answer.status_code == 302


@pytest.mark.django_db
def test_a_second_lockout_from_the_address_lasts_longer(client, browser_headers):
    owner = _staff("duena@example.com")
    headers = _headers(ATTACKER, browser_headers, False)
    for _ in range(5):
        _login(client, owner.email, "wrong", headers)
    _expire_lockouts()

    answers = [_login(client, owner.email, "wrong", headers) for _ in range(5)]

    assert answers[-1].status_code == 429
    assert answers[-1].has_header("Retry-After")
    assert list(
        LoginLockout.objects.order_by("created_at").values_list("tier", flat=True)
    ) == [0, 1]


@pytest.mark.django_db
def test_no_email_is_sent_for_an_unknown_account(
    client, browser_headers, mailoutbox, django_capture_on_commit_callbacks
):
    headers = _headers(ATTACKER, browser_headers, False)

    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            _login(client, "nadie@example.com", "wrong", headers) for _ in range(5)
        ]

    assert answers[-1].status_code == 429
    assert mailoutbox == []
    assert LoginLockout.objects.get().email == "nadie@example.com"


@pytest.mark.django_db
def test_email_case_does_not_reset_the_count(client, browser_headers):
    owner = _staff("duena@example.com")
    headers = _headers(ATTACKER, browser_headers, False)
    spellings = [
        "duena@example.com",
        "DUENA@example.com",
        "Duena@Example.com",
        " duena@EXAMPLE.com",
        "DUENA@EXAMPLE.COM",
    ]

    answers = [_login(client, email, "wrong", headers) for email in spellings]

    assert answers[-1].status_code == 429
    assert AccessAttempt.objects.get().username == owner.email


@pytest.mark.django_db
@pytest.mark.parametrize("spoof", [False, True], ids=["plain", "spoofed-xff"])
def test_one_address_trying_twenty_accounts_is_blocked_for_all(
    client, browser_headers, spoof
):
    users = [_staff(f"cuenta{n}@example.com") for n in range(20)]

    answers = [
        _login(client, user.email, "wrong", _headers(ATTACKER, browser_headers, spoof))
        for user in users
    ]
    right_from_attacker = _login(
        client, users[0].email, PASSWORD, _headers(ATTACKER, browser_headers, spoof)
    )
    others = [
        _login(
            client,
            user.email,
            PASSWORD,
            _headers(OWNER_ADDRESS, browser_headers, spoof),
        )
        for user in (users[0], users[19])
    ]

    statuses = [answer.status_code for answer in answers]
    first_block = statuses.index(429)
    assert first_block <= 7
    assert statuses[first_block:] == [429] * (20 - first_block)
    assert answers[-1].has_header("Retry-After")
    assert right_from_attacker.status_code == 429
    assert [answer.status_code for answer in others] == [302, 302]
    entry = BlocklistEntry.objects.get()
    assert (entry.kind, entry.value) == ("address", ATTACKER)
    assert entry.expires_at > timezone.now() + timedelta(minutes=59)
    assert LoginAttempt.objects.filter(address=ATTACKER, decision="block").count() >= 13
    assert (
        LoginAttempt.objects.filter(address=OWNER_ADDRESS, succeeded=True).count() == 2
    )
    assert User.objects.count() == 20
