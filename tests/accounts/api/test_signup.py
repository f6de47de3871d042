import json

import pytest
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import User
from audit.models import AuditAction, AuditEvent
from crm.models import Customer
from fraud.blocklist import blocklist_value_normalise
from fraud.models import BlocklistKind
from tests.accounts.api.test_tokens import login
from tests.accounts.factories import UserFactory
from tests.fraud.factories import BlocklistEntryFactory

PASSWORD = "Marzo-Lluvioso-27"


def signup(client, email="nueva@example.com", password=PASSWORD, **extra):
    body = {"email": email, "password": password, **extra}
    return client.post(reverse("auth-signup"), body, format="json")


@pytest.mark.django_db
def test_signup_creates_a_customer_who_can_log_in(api_client):
    response = signup(api_client, email="Nueva@Example.com", full_name=" Ana Pérez ")
    logged_in = login(api_client, "nueva@example.com", PASSWORD)

    assert response.status_code == 201
    assert response.json()["email"] == "nueva@example.com"
    user = User.objects.get(pk=response.json()["id"])
    assert user.full_name == "Ana Pérez"
    assert sorted(user.groups.values_list("name", flat=True)) == ["customer"]
    assert not user.is_staff
    customer = Customer.objects.get(user=user)
    assert customer.email == "nueva@example.com"
    assert customer.name == "Ana Pérez"
    assert logged_in.status_code == 200
    assert logged_in.json()["access"]


@pytest.mark.django_db
def test_signup_leaves_one_request_row_in_the_audit_trail_without_password(
    api_client,
):
    response = signup(api_client)

    user_id = response.json()["id"]
    request_rows = AuditEvent.objects.filter(context__path=reverse("auth-signup"))
    assert request_rows.count() == 1
    row = request_rows.get()
    assert row.action == AuditAction.SERVICE_CHANGE
    assert row.object_id == user_id
    assert row.after == {
        "email": "nueva@example.com",
        "full_name": "",
        "tier": "customer",
    }
    assert row.context["status"] == 201
    for event in AuditEvent.objects.all():
        stored = json.dumps([event.before, event.after, event.context])
        assert PASSWORD not in stored


@pytest.mark.django_db
def test_signup_group_change_is_audited_as_one_addition_and_no_removal(api_client):
    signup(api_client)

    group_rows = AuditEvent.objects.filter(action=AuditAction.GROUPS_CHANGE)
    assert [(row.before, row.after) for row in group_rows] == [
        ({"items": []}, {"items": ["customer"]})
    ]


@pytest.mark.django_db
def test_weak_password_is_a_400_with_field_errors_and_creates_nothing(api_client):
    response = signup(api_client, password="12345678")

    assert response.status_code == 400
    error = response.json()["error"]
    assert len(error["fields"]["password"]) >= 1
    assert not User.objects.exists()
    assert not Customer.objects.exists()


@pytest.mark.django_db
def test_password_like_the_email_is_refused(api_client):
    response = signup(api_client, email="florencia@example.com", password="florencia")

    assert response.status_code == 400
    assert "password" in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_duplicate_email_in_other_case_is_a_400_email_taken(api_client):
    UserFactory(email="ana@example.com")

    response = signup(api_client, email="ANA@Example.COM")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "email_taken"
    assert User.objects.count() == 1
    assert not Customer.objects.exists()


@pytest.mark.django_db
def test_blocked_email_domain_is_a_403_and_creates_nothing(api_client):
    BlocklistEntryFactory(kind=BlocklistKind.EMAIL_DOMAIN, value="spam.example")

    response = signup(api_client, email="alguien@SPAM.example")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "signup_blocked"
    assert response.json()["error"]["message"]
    assert not User.objects.exists()
    assert not Customer.objects.exists()


@pytest.mark.django_db
def test_blocked_client_address_is_a_403_and_creates_nothing(api_client):
    BlocklistEntryFactory(kind=BlocklistKind.ADDRESS, value="203.0.113.66")

    blocked = api_client.post(
        reverse("auth-signup"),
        {"email": "x@example.com", "password": PASSWORD},
        format="json",
        REMOTE_ADDR="203.0.113.66",
    )
    other = signup(api_client, email="y@example.com")

    assert blocked.status_code == 403
    assert blocked.json()["error"]["code"] == "signup_blocked"
    assert not User.objects.filter(email="x@example.com").exists()
    assert other.status_code == 201


@pytest.mark.django_db
def test_signup_is_throttled_per_address(api_client, monkeypatch):
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "login": "2/min"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)

    statuses = [
        signup(api_client, email=f"u{n}@example.com").status_code for n in range(3)
    ]
    other = api_client.post(
        reverse("auth-signup"),
        {"email": "z@example.com", "password": PASSWORD},
        format="json",
        REMOTE_ADDR="10.9.9.9",
    )

    assert statuses == [201, 201, 429]
    assert "Retry-After" in signup(api_client, email="w@example.com").headers
    assert other.status_code == 201
    assert User.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("blocked", "email"),
    [
        ("evil.test", "x@sub.evil.test"),
        ("evil.test", "x@a.b.EVIL.test"),
        ("bücher.test", "x@xn--bcher-kva.test"),
        ("xn--bcher-kva.test", "x@bücher.test"),
    ],
)
def test_a_blocked_domain_covers_subdomains_and_every_spelling(
    api_client, blocked, email
):
    BlocklistEntryFactory(
        kind=BlocklistKind.EMAIL_DOMAIN,
        value=blocklist_value_normalise(kind=BlocklistKind.EMAIL_DOMAIN, value=blocked),
    )

    response = signup(api_client, email=email)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "signup_blocked"
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_blocked_domain_does_not_cover_a_lookalike_sibling(api_client):
    BlocklistEntryFactory(kind=BlocklistKind.EMAIL_DOMAIN, value="evil.test")

    response = signup(api_client, email="x@notevil.test")

    assert response.status_code == 201
