"""Seed the tier groups with their model permissions (idempotent).

Permissions are created first (they normally appear only after all
migrations ran). Groups and their permissions are then edited in the admin;
running this again only adds what is missing, it never removes a grant.

Permissions of models added later are granted by later migrations (0004:
rankings, fraud, audit, store opening).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CATALOG_VIEW = [
    "catalog.view_product",
    "catalog.view_store",
    "catalog.view_category",
    "catalog.view_offer",
    "catalog.view_review",
]
CUSTOMER = [
    *CATALOG_VIEW,
    "catalog.view_order",
    "catalog.add_order",
    "catalog.add_review",
]
SELLER = [
    *CUSTOMER,
    "catalog.add_product",
    "catalog.change_product",
    "catalog.change_store",
    "catalog.view_stocklevel",
    "catalog.change_stocklevel",
    "catalog.add_offer",
    "catalog.change_offer",
    "catalog.view_pricechange",
    "catalog.change_order",
]
PREMIUM = [
    *SELLER,
    "accounts.view_ranking_history",
    "accounts.view_premium_dashboard",
]
CORPORATE = [*PREMIUM, "accounts.view_corporate_dashboard"]
STAFF = [
    *CATALOG_VIEW,
    "catalog.view_order",
    "catalog.change_order",
    "catalog.view_stocklevel",
    "catalog.view_pricechange",
    "catalog.view_orderitem",
    "crm.view_customer",
    "accounts.view_user",
    "accounts.view_tokenfamily",
    "accounts.view_ranking_history",
    "accounts.view_premium_dashboard",
    "accounts.view_corporate_dashboard",
]
ADMIN = [
    *STAFF,
    "accounts.change_user",
    "accounts.assign_tier",
    "accounts.view_role",
    "accounts.change_role",
    "auth.view_group",
    "auth.change_group",
    "catalog.add_product",
    "catalog.change_product",
    "catalog.change_store",
    "catalog.change_stocklevel",
    "catalog.add_offer",
    "catalog.change_offer",
    "crm.change_customer",
]
TIERS = {
    "customer": CUSTOMER,
    "seller": SELLER,
    "premium": PREMIUM,
    "corporate": CORPORATE,
    "staff": STAFF,
    "admin": ADMIN,
}


def seed_tiers(apps, schema_editor):
    for app_config in apps.get_app_configs():
        # Historical app configs have no models module; create_permissions
        # skips such apps unless it is set.
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in TIERS.items():
        group, _ = Group.objects.get_or_create(name=name)
        found = []
        for perm in sorted(set(perms)):
            app_label, codename = perm.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                raise RuntimeError(f"Permission {perm} for tier {name} does not exist.")
            found.append(permission)
        group.permissions.add(*found)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_families_totp_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalog", "0001_initial"),
        ("crm", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed_tiers, migrations.RunPython.noop)]
