import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.permissions import (
    CAPABILITY_PERMISSIONS,
    ORDER_PLACE,
    PRODUCT_CREATE,
    PRODUCT_EDIT,
    USER_MANAGE,
    USER_VIEW,
    user_capabilities,
)
from accounts.roles import Tier
from tests.accounts.api.test_tokens import login
from tests.accounts.factories import UserFactory

seed = importlib.import_module("accounts.migrations.0003_seed_tiers")
later_grants = importlib.import_module(
    "accounts.migrations.0004_grant_store_rankings_fraud"
)


def group_perms(name):
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=name).permissions.select_related("content_type")
    }


def in_tier(tier, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=tier))
    return user


def test_every_tier_is_seeded_with_its_permissions(db):
    for tier, perms in seed.TIERS.items():
        expected = set(perms) | set(later_grants.GRANTS.get(tier, []))
        assert group_perms(tier) == expected, tier
    assert set(Group.objects.values_list("name", flat=True)) >= set(Tier.values)


def test_sellers_may_open_stores_and_admins_decide_fraud_cases(db):
    assert "catalog.add_store" in group_perms("seller")
    assert "fraud.change_fraudcase" in group_perms("admin")
    assert "fraud.change_fraudcase" not in group_perms("staff")


def test_seeding_again_changes_nothing_and_keeps_admin_edits(db):
    customer = Group.objects.get(name="customer")
    extra = Permission.objects.get(codename="add_product")
    customer.permissions.add(extra)
    before = {tier: group_perms(tier) for tier in seed.TIERS}

    seed.seed_tiers(apps, None)

    assert {tier: group_perms(tier) for tier in seed.TIERS} == before


def test_every_capability_names_existing_permissions(db):
    existing = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }
    needed = {perm for perms in CAPABILITY_PERMISSIONS.values() for perm in perms}

    assert needed <= existing


@pytest.mark.parametrize(
    ("tier", "has", "lacks"),
    [
        ("customer", [ORDER_PLACE], [PRODUCT_CREATE, USER_VIEW]),
        ("seller", [PRODUCT_CREATE, PRODUCT_EDIT, ORDER_PLACE], [USER_VIEW]),
        ("staff", [USER_VIEW], [USER_MANAGE, PRODUCT_CREATE]),
        ("admin", [USER_VIEW, USER_MANAGE, PRODUCT_EDIT], [ORDER_PLACE]),
    ],
)
def test_capabilities_follow_the_tier(db, tier, has, lacks):
    capabilities = user_capabilities(in_tier(tier))

    assert set(has) <= set(capabilities)
    assert not set(lacks) & set(capabilities)


def test_me_shows_user_tiers_and_capabilities(api_client, db):
    user = in_tier("seller", email="vende@example.com")
    token = login(api_client, user.email).json()["access"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    body = api_client.get(reverse("auth-me")).json()

    assert body["user"]["email"] == "vende@example.com"
    assert body["tiers"] == ["seller"]
    assert body["groups"] == ["seller"]
    assert body["capabilities"] == user_capabilities(user)
    assert body["totp_enabled"] is False


def test_permission_granted_to_a_group_shows_in_me_at_once(api_client, db):
    user = in_tier("customer")
    token = login(api_client, user.email).json()["access"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert (
        PRODUCT_CREATE not in api_client.get(reverse("auth-me")).json()["capabilities"]
    )

    Group.objects.get(name="customer").permissions.add(
        Permission.objects.get(
            content_type__app_label="catalog", codename="add_product"
        )
    )

    assert PRODUCT_CREATE in api_client.get(reverse("auth-me")).json()["capabilities"]


def test_me_requires_a_token(api_client, db):
    response = api_client.get(reverse("auth-me"))

    assert response.status_code == 401
