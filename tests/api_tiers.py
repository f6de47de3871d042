"""Users of each tier for API tests, with the permissions their groups hold.

Groups are fetched or created by tier name, so this works both before and
after the migration that seeds them; the permissions the API relies on are
added explicitly.
"""

from django.contrib.auth.models import Group, Permission
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import Tier
from catalog import permissions as catalog_perms
from crm import permissions as crm_perms
from tests.accounts.factories import UserFactory
from tests.catalog.factories import StoreFactory
from tests.crm.factories import CustomerFactory

TIER_PERMISSIONS = {
    Tier.CUSTOMER: [
        catalog_perms.ORDER_VIEW,
        catalog_perms.ORDER_ADD,
        catalog_perms.REVIEW_ADD,
    ],
    Tier.SELLER: [
        catalog_perms.ORDER_VIEW,
        catalog_perms.STORE_ADD,
        catalog_perms.STORE_CHANGE,
        catalog_perms.PRODUCT_ADD,
        catalog_perms.PRODUCT_CHANGE,
        catalog_perms.ORDER_CHANGE,
    ],
    Tier.STAFF: [
        catalog_perms.STORE_CHANGE,
        catalog_perms.PRODUCT_ADD,
        catalog_perms.PRODUCT_CHANGE,
        catalog_perms.ORDER_VIEW,
        catalog_perms.ORDER_CHANGE,
        crm_perms.CUSTOMER_VIEW,
    ],
}


def permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def tier_group(tier: Tier) -> Group:
    group, _ = Group.objects.get_or_create(name=tier)
    group.permissions.add(*(permission(p) for p in TIER_PERMISSIONS.get(tier, [])))
    return group


def make_user(tier: Tier | None, **kwargs) -> User:
    if tier == Tier.STAFF:
        kwargs.setdefault("is_staff", True)
    user = UserFactory(**kwargs)
    if tier is not None:
        user.groups.add(tier_group(tier))
    return user


def make_customer() -> User:
    user = make_user(Tier.CUSTOMER)
    CustomerFactory(user=user, email=user.email)
    return user


def make_seller() -> User:
    user = make_user(Tier.SELLER)
    StoreFactory(owner=user)
    return user


def make_staff() -> User:
    return make_user(Tier.STAFF)


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
