import threading
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import RevokeReason, TokenFamily, TokenReuseEvent, User
from accounts.services import user_deactivate
from tests.accounts.factories import UserFactory

PASSWORD = "S3guro!pass"


def login(client, email, password=PASSWORD, otp=None, **headers):
    body = {"email": email, "password": password}
    if otp is not None:
        body["otp"] = otp
    return client.post(reverse("auth-login"), body, format="json", **headers)


def refresh(client, token):
    return client.post(reverse("auth-refresh"), {"refresh": token}, format="json")


def me(client, access):
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    response = client.get(reverse("auth-me"))
    client.credentials()
    return response


@pytest.fixture
def account(db):
    return UserFactory(email="cliente@example.com")


def test_login_returns_tokens_and_opens_a_session(api_client, account):
    response = login(api_client, "Cliente@Example.com ", HTTP_USER_AGENT="Firefox/1")

    assert response.status_code == 200, response.json()
    body = response.json()
    family = TokenFamily.objects.get(user=account)
    assert body["session_id"] == str(family.pk)
    assert family.user_agent == "Firefox/1"
    assert family.ip_address == "127.0.0.1"
    assert me(api_client, body["access"]).json()["user"]["email"] == account.email


def test_login_with_wrong_password_is_generic_401(api_client, account):
    wrong = login(api_client, account.email, "nope-nope")
    unknown = login(api_client, "nobody@example.com", "nope-nope")

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"]["code"] == "invalid_credentials"
    assert not TokenFamily.objects.exists()


def test_login_with_malformed_body_is_400(api_client, db):
    response = api_client.post(reverse("auth-login"), {"email": "x"}, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"email", "password"}


def test_refresh_rotates_and_each_token_works_once(api_client, account):
    first = login(api_client, account.email).json()

    second = refresh(api_client, first["refresh"])

    assert second.status_code == 200
    pair = second.json()
    assert pair["refresh"] != first["refresh"]
    assert pair["session_id"] == first["session_id"]
    assert me(api_client, pair["access"]).status_code == 200
    assert refresh(api_client, pair["refresh"]).status_code == 200
    assert TokenFamily.objects.get(user=account).generation == 2


def test_a_session_ends_after_its_maximum_age(api_client, account, settings):
    settings.DROPI_SESSION_MAX_DAYS = 30
    pair = login(api_client, account.email).json()
    family = TokenFamily.objects.get(user=account)
    assert family.expires_at - family.created_at == timedelta(days=14)
    TokenFamily.objects.filter(pk=family.pk).update(
        created_at=family.created_at - timedelta(days=29)
    )

    second = refresh(api_client, pair["refresh"])
    family.refresh_from_db()
    assert family.expires_at == family.created_at + timedelta(days=30)
    TokenFamily.objects.filter(pk=family.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    third = refresh(api_client, second.json()["refresh"])

    assert second.status_code == 200
    assert third.status_code == 401
    assert third.json()["error"]["code"] == "session_expired"


def test_refresh_with_garbage_is_401(api_client, db):
    response = refresh(api_client, "not.a.token")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_not_valid"


def test_reusing_a_rotated_refresh_revokes_the_family(
    api_client, account, settings, caplog
):
    settings.DROPI_REFRESH_GRACE_SECONDS = 0
    first = login(api_client, account.email).json()
    second = refresh(api_client, first["refresh"]).json()

    replay = refresh(api_client, first["refresh"])

    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "token_reused"
    family = TokenFamily.objects.get(user=account)
    assert family.revoked_reason == RevokeReason.REUSE_DETECTED
    event = TokenReuseEvent.objects.get(family=family)
    assert event.ip_address == "127.0.0.1"
    assert "Refresh token reuse detected, session revoked" in caplog.text
    # The legitimate successor is dead too, refresh and access alike.
    assert refresh(api_client, second["refresh"]).status_code == 401
    assert me(api_client, second["access"]).status_code == 401


def test_replay_within_grace_window_returns_the_same_pair(api_client, account):
    first = login(api_client, account.email).json()
    second = refresh(api_client, first["refresh"]).json()

    again = refresh(api_client, first["refresh"])

    assert again.status_code == 200
    assert again.json() == second
    assert TokenFamily.objects.get(user=account).revoked_at is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_refreshes_mint_one_live_pair():
    account = UserFactory(email="race@example.com")
    token = login(APIClient(), account.email).json()["refresh"]
    results = []
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            results.append(refresh(APIClient(), token))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [r.status_code for r in results] == [200, 200]
    assert results[0].json() == results[1].json()
    family = TokenFamily.objects.get(user=account)
    assert family.generation == 1
    assert family.revoked_at is None
    assert refresh(APIClient(), results[0].json()["refresh"]).status_code == 200


def test_logout_ends_this_session_only(api_client, account):
    one = login(api_client, account.email).json()
    two = login(api_client, account.email).json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {one['access']}")

    response = api_client.post(reverse("auth-logout"))

    assert response.status_code == 204
    api_client.credentials()
    assert me(api_client, one["access"]).status_code == 401
    assert (
        refresh(api_client, one["refresh"]).json()["error"]["code"] == "session_revoked"
    )
    assert me(api_client, two["access"]).status_code == 200


def test_logout_all_ends_every_session(api_client, account):
    one = login(api_client, account.email).json()
    two = login(api_client, account.email).json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {one['access']}")

    response = api_client.post(reverse("auth-logout-all"))

    assert response.status_code == 204
    api_client.credentials()
    assert me(api_client, two["access"]).status_code == 401
    assert refresh(api_client, two["refresh"]).status_code == 401
    assert set(TokenFamily.objects.values_list("revoked_reason", flat=True)) == {
        RevokeReason.LOGOUT_ALL
    }


def test_tokens_die_when_the_user_is_deactivated(api_client, account):
    pair = login(api_client, account.email).json()

    user_deactivate(user=account, actor=account)

    assert me(api_client, pair["access"]).status_code == 401
    assert refresh(api_client, pair["refresh"]).status_code == 401
    assert login(api_client, account.email).status_code == 401


def test_tokens_die_when_the_password_changes(api_client, account):
    pair = login(api_client, account.email).json()

    account.set_password("Otra!clave99")
    account.save()

    assert me(api_client, pair["access"]).status_code == 401
    assert refresh(api_client, pair["refresh"]).status_code == 401
    assert TokenFamily.objects.get().revoked_reason == RevokeReason.PASSWORD_CHANGED
    assert login(api_client, account.email, "Otra!clave99").status_code == 200


def test_password_claim_refuses_tokens_even_without_the_signal(api_client, account):
    # A raw UPDATE sends no signal: the hash_password claim still catches it.
    pair = login(api_client, account.email).json()

    User.objects.filter(pk=account.pk).update(password=make_password("Otra!clave99"))

    access = me(api_client, pair["access"])
    assert access.status_code == 401
    assert access.json()["error"]["code"] == "password_changed"
    assert (
        refresh(api_client, pair["refresh"]).json()["error"]["code"]
        == "password_changed"
    )
    assert TokenFamily.objects.get().revoked_reason == RevokeReason.PASSWORD_CHANGED


def test_other_saves_keep_sessions_open(api_client, account):
    pair = login(api_client, account.email).json()

    account.full_name = "Nuevo Nombre"
    account.save()

    assert me(api_client, pair["access"]).status_code == 200
    assert TokenFamily.objects.get().revoked_at is None


def test_access_token_without_session_claim_is_refused(api_client, account):
    token = AccessToken.for_user(account)

    assert me(api_client, str(token)).status_code == 401
