import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import TokenFamily
from accounts.services import ClientInfo, token_family_create
from tests.accounts.api.test_tokens import login, me, refresh
from tests.accounts.factories import UserFactory


def signed_in(pair):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    return client


def test_sessions_lists_open_sessions_with_device_and_address(db):
    user = UserFactory()
    phone = login(
        APIClient(), user.email, HTTP_USER_AGENT="Phone/2", REMOTE_ADDR="10.0.0.7"
    ).json()
    laptop = login(APIClient(), user.email, HTTP_USER_AGENT="Laptop/1").json()
    closed = login(APIClient(), user.email).json()
    signed_in(closed).post(reverse("auth-logout"))
    login(APIClient(), UserFactory().email)

    response = signed_in(laptop).get(reverse("auth-session-list"))

    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()}
    assert set(rows) == {phone["session_id"], laptop["session_id"]}
    assert rows[phone["session_id"]]["user_agent"] == "Phone/2"
    assert rows[phone["session_id"]]["ip_address"] == "10.0.0.7"
    assert rows[laptop["session_id"]]["current"] is True
    assert rows[phone["session_id"]]["current"] is False
    assert rows[phone["session_id"]]["created_at"]
    assert rows[phone["session_id"]]["last_used_at"]


def test_ending_one_session_kills_its_tokens(db):
    user = UserFactory()
    phone = login(APIClient(), user.email).json()
    laptop = login(APIClient(), user.email).json()

    response = signed_in(laptop).delete(
        reverse("auth-session-end", args=[phone["session_id"]])
    )

    assert response.status_code == 204
    assert me(APIClient(), phone["access"]).status_code == 401
    assert refresh(APIClient(), phone["refresh"]).status_code == 401
    assert me(APIClient(), laptop["access"]).status_code == 200


def test_another_users_session_is_404(db):
    mine = login(APIClient(), UserFactory().email).json()
    theirs = login(APIClient(), UserFactory().email).json()

    response = signed_in(mine).delete(
        reverse("auth-session-end", args=[theirs["session_id"]])
    )
    unknown = signed_in(mine).delete(reverse("auth-session-end", args=[uuid.uuid4()]))

    assert response.status_code == unknown.status_code == 404
    assert TokenFamily.objects.get(pk=theirs["session_id"]).revoked_at is None


def test_session_list_query_count_does_not_grow(db):
    user = UserFactory()
    client = signed_in(login(APIClient(), user.email).json())

    counts = []
    for extra in (1, 30):
        for _ in range(extra):
            token_family_create(user=user, client=ClientInfo("10.0.0.1", "t"))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("auth-session-list"))
        counts.append((len(response.json()), len(queries)))

    assert [rows for rows, _ in counts] == [2, 32]
    assert counts[0][1] == counts[1][1]
