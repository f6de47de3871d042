"""A stored rating summary on products, filled from the existing reviews.

The data step counts, for each product, the reviews of the orders holding
it that rate the whole order or this product (the attribution of
``catalog.selectors.reviews_of_product_q``). Plain SQL that runs on
PostgreSQL and SQLite; going back, dropping the columns drops the summary.
"""

import catalog.models
from django.db import migrations, models

COUNTED = (
    "FROM catalog_review r WHERE r.order_id IN ("
    "SELECT i.order_id FROM catalog_orderitem i "
    "WHERE i.product_id = catalog_product.id) "
    "AND (r.product_id IS NULL OR r.product_id = catalog_product.id)"
)
FILL = (
    f"UPDATE catalog_product SET rating_sum = COALESCE((SELECT SUM(r.score) "
    f"{COUNTED}), 0), reviews_count = (SELECT COUNT(*) {COUNTED})"
)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_perf_product_active_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="rating_sum",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="product",
            name="reviews_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunSQL(sql=FILL, reverse_sql=migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                catalog.models.ProductRating(),
                models.F("id"),
                condition=models.Q(("is_active", True)),
                name="catalog_product_rating_a_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                models.OrderBy(catalog.models.ProductRating(), descending=True),
                models.F("id"),
                condition=models.Q(("is_active", True)),
                name="catalog_product_rating_d_idx",
            ),
        ),
    ]
