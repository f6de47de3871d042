"""Seed the two settings rows and the all-verticals order risk rules."""

from django.db import migrations

RULES = [
    (
        "new_account_large_first_order",
        40,
        {"account_age_days": 7, "min_amount": "1000000"},
    ),
    ("shared_destination", 30, {"lookback_days": 30, "min_other_accounts": 2}),
    (
        "cod_refusals",
        30,
        {
            "cod_methods": ["cod"],
            "refused_statuses": ["returned", "cancelled"],
            "min_refusals": 1,
        },
    ),
    ("amount_above_usual", 25, {"multiplier": "3", "min_history": 3}),
    ("order_velocity", 25, {"window_minutes": 60, "max_orders": 3}),
]


def seed(apps, schema_editor):
    LoginRiskSettings = apps.get_model("fraud", "LoginRiskSettings")
    OrderRiskSettings = apps.get_model("fraud", "OrderRiskSettings")
    OrderRiskRule = apps.get_model("fraud", "OrderRiskRule")
    LoginRiskSettings.objects.get_or_create(id=1)
    OrderRiskSettings.objects.get_or_create(id=1)
    for code, points, params in RULES:
        OrderRiskRule.objects.get_or_create(
            code=code,
            vertical=None,
            defaults={"points": points, "params": params, "is_active": True},
        )


def unseed(apps, schema_editor):
    apps.get_model("fraud", "OrderRiskRule").objects.filter(vertical=None).delete()
    apps.get_model("fraud", "OrderRiskSettings").objects.all().delete()
    apps.get_model("fraud", "LoginRiskSettings").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("fraud", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
