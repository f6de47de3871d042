from decimal import Decimal

from django.db import migrations

# The default weights per kind (vertical = NULL); tuned on the Olist data with
# bench/ranking_quality.py (see docs/rankings.md). Staff edit them in the
# admin; this migration only creates the rows that are missing.
DEFAULTS = {
    "sellers": {
        "weight_revenue": Decimal("2"),
        "weight_orders": Decimal("0"),
        "weight_units": Decimal("0"),
        "weight_rating": Decimal("1.5"),
        "weight_on_time": Decimal("0"),
        "weight_cancellation": Decimal("0.5"),
        "min_orders": 3,
        "rating_prior_strength": Decimal("10"),
        "on_time_prior_strength": Decimal("5"),
    },
    "products": {
        # Not measured separately: the sellers' tuned weights.
        "weight_revenue": Decimal("2"),
        "weight_orders": Decimal("0"),
        "weight_units": Decimal("0"),
        "weight_rating": Decimal("1.5"),
        "weight_on_time": Decimal("0"),
        "weight_cancellation": Decimal("0.5"),
        "min_orders": 2,
        "rating_prior_strength": Decimal("10"),
        "on_time_prior_strength": Decimal("5"),
    },
}


def create_defaults(apps, schema_editor):
    weight_set = apps.get_model("rankings", "RankingWeightSet")
    for kind, values in DEFAULTS.items():
        weight_set.objects.get_or_create(kind=kind, vertical=None, defaults=values)


class Migration(migrations.Migration):

    dependencies = [
        ("rankings", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_defaults, migrations.RunPython.noop),
    ]
