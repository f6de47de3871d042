"""Grant the permissions 0003 could not: store opening, rankings, fraud.

Sellers open their own stores; staff read rankings, fraud cases and the
audit trail; admins also recompute rankings, edit weights and decide fraud
cases. Only adds grants, never removes one staff made in the admin.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "seller": ["catalog.add_store"],
    "staff": [
        "rankings.view_rankingrun",
        "rankings.view_rankingentry",
        "rankings.view_rankingweightset",
        "fraud.view_fraudcase",
        "audit.view_auditevent",
    ],
    "admin": [
        "catalog.add_store",
        "rankings.view_rankingrun",
        "rankings.view_rankingentry",
        "rankings.view_rankingweightset",
        "rankings.change_rankingweightset",
        "rankings.recompute_rankingrun",
        "fraud.view_fraudcase",
        "fraud.change_fraudcase",
        "audit.view_auditevent",
    ],
}


def grant(apps, schema_editor):
    for label in ("catalog", "rankings", "fraud", "audit"):
        app_config = apps.get_app_config(label)
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_seed_tiers"),
        ("catalog", "0002_api_product_list_index"),
        ("rankings", "0002_default_weight_sets"),
        ("fraud", "0002_seed_settings_and_rules"),
        ("audit", "0002_append_only_triggers"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
