import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import RevokeReason, TokenFamily
from accounts.services import ClientInfo, token_family_create
from tests.accounts.api.test_tokens import login, me
from tests.accounts.factories import UserFactory

TIERS = ["customer", "seller", "premium", "corporate", "staff", "admin"]
STAFF_TIERS = {"staff", "admin"}


def in_tier(tier, **kwargs):
    user = UserFactory(is_staff=tier in STAFF_TIERS, **kwargs)
    user.groups.add(Group.objects.get(name=tier))
    return user


def client_for(user):
    client = APIClient()
    # Staff accounts pass TOTP in real logins; tests open the session
    # through the service to keep this table about permissions.
    pair = token_family_create(user=user, client=ClientInfo("127.0.0.1", "test"))
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair.access}")
    return client


@pytest.fixture
def other(db):
    return in_tier("customer", email="otro@example.com")


def call(client, name, target):
    if name == "list":
        return client.get(reverse("user-list"))
    if name == "yo":
        return client.get(reverse("user-me"))
    if name == "detail":
        return client.get(reverse("user-detail", args=[target.pk]))
    if name == "deactivate":
        return client.patch(
            reverse("user-active", args=[target.pk]),
            {"is_active": False},
            format="json",
        )
    return client.put(
        reverse("user-tiers", args=[target.pk]), {"tiers": ["seller"]}, format="json"
    )


# tier -> endpoint -> expected status
EXPECTED = {
    "customer": {
        "list": 200,
        "yo": 200,
        "detail": 404,
        "deactivate": 403,
        "tiers": 403,
    },
    "seller": {"list": 200, "yo": 200, "detail": 404, "deactivate": 403, "tiers": 403},
    "premium": {"list": 200, "yo": 200, "detail": 404, "deactivate": 403, "tiers": 403},
    "corporate": {
        "list": 200,
        "yo": 200,
        "detail": 404,
        "deactivate": 403,
        "tiers": 403,
    },
    "staff": {"list": 200, "yo": 200, "detail": 200, "deactivate": 403, "tiers": 403},
    "admin": {"list": 200, "yo": 200, "detail": 200, "deactivate": 200, "tiers": 200},
}


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("endpoint", ["list", "yo", "detail", "deactivate", "tiers"])
def test_tier_by_endpoint(db, other, tier, endpoint):
    actor = in_tier(tier)

    response = call(client_for(actor), endpoint, other)

    assert response.status_code == EXPECTED[tier][endpoint], response.json()
    if endpoint == "list":
        emails = {row["email"] for row in response.json()["results"]}
        expected = {actor.email, other.email} if tier in STAFF_TIERS else {actor.email}
        assert emails == expected
    if endpoint == "yo":
        assert response.json()["email"] == actor.email
        assert response.json()["tiers"] == [tier]


def test_anonymous_gets_401(api_client, db):
    assert api_client.get(reverse("user-list")).status_code == 401


def test_deactivation_through_the_api_ends_the_target_sessions(db, other):
    pair = login(APIClient(), other.email).json()

    response = call(client_for(in_tier("admin")), "deactivate", other)

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert me(APIClient(), pair["access"]).status_code == 401
    assert (
        TokenFamily.objects.get(user=other).revoked_reason == RevokeReason.DEACTIVATED
    )


def test_tiers_are_replaced(db, other):
    response = call(client_for(in_tier("admin")), "tiers", other)

    assert response.json()["tiers"] == ["seller"]
    assert list(other.groups.values_list("name", flat=True)) == ["seller"]


def test_unknown_tier_is_400(db, other):
    response = client_for(in_tier("admin")).put(
        reverse("user-tiers", args=[other.pk]), {"tiers": ["king"]}, format="json"
    )

    assert response.status_code == 400
    assert "tiers" in response.json()["error"]["fields"]


def test_staff_may_not_deactivate_itself(db):
    admin = in_tier("admin")

    response = call(client_for(admin), "deactivate", admin)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "self_change"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?tier=seller", ["vendedor@example.com"]),
        ("?is_active=false", ["baja@example.com"]),
        ("?search=vended", ["vendedor@example.com"]),
        ("?is_staff=true", ["jefa@example.com"]),
    ],
)
def test_staff_filters_and_searches(db, query, expected):
    in_tier("seller", email="vendedor@example.com")
    UserFactory(email="baja@example.com", is_active=False)
    staff = in_tier("staff", email="jefa@example.com")

    response = client_for(staff).get(reverse("user-list") + query)

    assert [row["email"] for row in response.json()["results"]] == expected


@pytest.mark.parametrize(
    "query",
    ["?ordering=password", "?colour=red", "?is_active=maybe", "?tier=king", "?page=x"],
)
def test_bad_query_is_4xx_not_500(db, query):
    response = client_for(in_tier("staff")).get(reverse("user-list") + query)

    assert response.status_code in (400, 404)
    assert "error" in response.json()


def test_ordering_and_page_cap(db):
    staff = in_tier("staff", email="a-staff@example.com")
    UserFactory.create_batch(3)

    ordered = client_for(staff).get(
        reverse("user-list") + "?ordering=-email&page_size=500"
    )

    emails = [row["email"] for row in ordered.json()["results"]]
    assert emails == sorted(emails, reverse=True)
    assert len(emails) == 4


def test_malformed_id_is_404(db):
    response = client_for(in_tier("staff")).get("/api/usuarios/not-a-uuid/")

    assert response.status_code == 404


def test_list_query_count_does_not_grow_with_the_page(db):
    staff = in_tier("staff")
    for n in range(100):
        in_tier(TIERS[n % 4])
    client = client_for(staff)

    counts = []
    for size in (5, 100):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("user-list") + f"?page_size={size}")
        assert len(response.json()["results"]) == size
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_permission_granted_to_a_group_opens_the_endpoint(db, other):
    client = client_for(in_tier("staff"))
    assert call(client, "deactivate", other).status_code == 403

    Group.objects.get(name="staff").permissions.add(
        Permission.objects.get(
            content_type__app_label="accounts", codename="change_user"
        )
    )

    assert call(client, "deactivate", other).status_code == 200
