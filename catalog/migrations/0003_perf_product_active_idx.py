"""A small partial index that lets PostgreSQL count active products fast.

The product list counts every active product for its ``count`` field. On
the Olist data (32,951 products) that count read the whole table (about
1,100 pages); with this index it is an index-only scan of 93 pages once
(auto)vacuum has set the table's visibility map. Created with plain SQL
because the index exists for the database's planner only: no query names
it and the model does not need to know about it. The same statement works
on SQLite (``make run``), where a boolean is stored as 0 or 1.
"""

from django.db import migrations

INDEX = "catalog_product_active_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_api_product_list_index"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX {INDEX} ON catalog_product (id) WHERE is_active",
            reverse_sql=f"DROP INDEX {INDEX}",
        ),
    ]
