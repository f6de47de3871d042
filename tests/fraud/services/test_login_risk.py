from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from dropi.exceptions import ApplicationError
from fraud.models import BlocklistEntry, BlocklistKind, LoginRiskSettings
from fraud.services import (
    LoginAction,
    blocklist_add,
    blocklist_check_signup,
    login_attempt_check,
    login_attempt_record,
)
from tests.fraud.conftest import BROWSER
from tests.fraud.factories import LoginAttemptFactory

ADDRESS = "203.0.113.10"


def _request(address=ADDRESS, **meta):
    return RequestFactory().post(
        "/api/auth/login/", REMOTE_ADDR=address, **{**BROWSER, **meta}
    )


@pytest.mark.django_db
def test_a_clean_attempt_is_allowed():
    decision = login_attempt_check(request=_request(), email="ana@example.com")

    assert decision.action == LoginAction.ALLOW
    assert decision.score == 0
    assert decision.reasons == []


@pytest.mark.django_db
def test_a_script_without_language_scores_but_is_allowed_alone():
    request = _request(HTTP_USER_AGENT="python-requests/2.32", HTTP_ACCEPT_LANGUAGE="")

    decision = login_attempt_check(request=request, email="ana@example.com")

    assert decision.action == LoginAction.ALLOW
    assert decision.score == 25
    assert decision.reasons == ["bot_client=1 (+20)", "no_accept_language=1 (+5)"]


@pytest.mark.django_db
def test_failures_of_other_accounts_from_the_address_lead_to_a_challenge():
    for n in range(4):
        LoginAttemptFactory(email=f"otra{n}@example.com", address=ADDRESS)

    decision = login_attempt_check(request=_request(), email="ana@example.com")

    assert decision.action == LoginAction.CHALLENGE
    assert decision.score == 4 * 3 + 4 * 10


@pytest.mark.django_db
def test_account_failures_alone_cannot_block_the_owner():
    for n in range(40):
        LoginAttemptFactory(email="ana@example.com", address=f"198.51.100.{n + 1}")

    decision = login_attempt_check(request=_request(), email="ana@example.com")

    assert decision.action == LoginAction.ALLOW
    assert decision.score == 20


@pytest.mark.django_db
def test_a_block_puts_the_address_on_the_blocklist_for_every_account():
    for n in range(6):
        LoginAttemptFactory(email=f"otra{n}@example.com", address=ADDRESS)

    first = login_attempt_check(request=_request(), email="ana@example.com")
    second = login_attempt_check(request=_request(), email="luis@example.com")
    elsewhere = login_attempt_check(
        request=_request("198.51.100.9"), email="luis@example.com"
    )

    assert first.action == LoginAction.BLOCK
    assert first.retry_after_seconds == 3600
    assert second.action == LoginAction.BLOCK
    assert second.reasons == ["address_blocklisted"]
    assert elsewhere.action == LoginAction.ALLOW
    entry = BlocklistEntry.objects.get()
    assert (entry.kind, entry.value) == ("address", ADDRESS)


@pytest.mark.django_db
def test_thresholds_edited_in_the_settings_row_apply_at_once():
    LoginRiskSettings.objects.filter(id=1).update(
        challenge_threshold=20, block_threshold=30
    )
    request = _request(HTTP_USER_AGENT="curl/8.5")

    decision = login_attempt_check(request=request, email="ana@example.com")

    assert decision.action == LoginAction.CHALLENGE


@pytest.mark.django_db
def test_an_expired_block_no_longer_applies():
    BlocklistEntry.objects.create(
        kind=BlocklistKind.ADDRESS,
        value=ADDRESS,
        reason="x",
        expires_at=timezone.now() - timedelta(seconds=1),
    )

    decision = login_attempt_check(request=_request(), email="ana@example.com")

    assert decision.action == LoginAction.ALLOW


@pytest.mark.django_db
def test_a_blocked_email_domain_is_refused():
    blocklist_add(
        kind=BlocklistKind.EMAIL_DOMAIN, value="@Spam.example", reason="desechable"
    )

    decision = login_attempt_check(request=_request(), email="bot@spam.example")

    assert decision.action == LoginAction.BLOCK
    assert decision.reasons == ["email_domain_blocklisted"]


@pytest.mark.django_db
def test_a_new_device_for_an_account_adds_points(user):
    known = _request()
    login_attempt_record(
        request=known,
        email=user.email,
        succeeded=True,
        decision=login_attempt_check(request=known, email=user.email),
    )

    decision = login_attempt_check(
        request=_request(HTTP_USER_AGENT="Otro/1.0 Safari"), email=user.email
    )

    assert decision.reasons == ["new_device=1 (+10)"]


@pytest.mark.django_db
def test_recording_stores_the_attempt_with_its_decision(user):
    request = _request()
    decision = login_attempt_check(request=request, email="ANA@example.com")

    attempt = login_attempt_record(
        request=request, email="ANA@example.com", succeeded=False, decision=decision
    )

    assert attempt.email == "ana@example.com"
    assert attempt.user == user
    assert attempt.address == ADDRESS
    assert attempt.decision == "allow"
    assert attempt.succeeded is False


@pytest.mark.django_db
def test_sign_up_from_a_blocked_address_is_refused():
    blocklist_add(kind=BlocklistKind.ADDRESS, value=ADDRESS, reason="abuso")

    with pytest.raises(ApplicationError) as error:
        blocklist_check_signup(email="nuevo@example.com", address=ADDRESS)

    assert error.value.status_code == 403
    assert error.value.code == "signup_blocked"


@pytest.mark.django_db
def test_sign_up_elsewhere_passes():
    blocklist_add(kind=BlocklistKind.ADDRESS, value=ADDRESS, reason="abuso")

    assert (
        blocklist_check_signup(email="nuevo@example.com", address="198.51.100.1")
        is None
    )


@pytest.mark.django_db
def test_blocking_twice_keeps_one_entry():
    later = timezone.now() + timedelta(hours=2)
    first = blocklist_add(
        kind=BlocklistKind.PHONE, value="0981 111 222", reason="x", expires_at=later
    )

    second = blocklist_add(
        kind=BlocklistKind.PHONE, value="+595981111222", reason="y", expires_at=later
    )

    assert first.pk == second.pk
    assert first.value == "595981111222"


@pytest.mark.django_db
def test_an_empty_value_cannot_be_blocked():
    with pytest.raises(ApplicationError):
        blocklist_add(kind=BlocklistKind.SHIPPING_ADDRESS, value=" , ", reason="x")

    assert BlocklistEntry.objects.count() == 0


@pytest.mark.django_db
def test_many_attempts_in_a_minute_add_the_velocity_points():
    for _ in range(10):
        LoginAttemptFactory(email="otro@example.com", address=ADDRESS, succeeded=True)

    decision = login_attempt_check(request=_request(), email="ana@example.com")

    assert decision.reasons == ["velocity=10 (+20)"]
