"""Import a folder of Olist-format CSVs into the catalog and CRM.

The eight files are read in dependency order (categories, sellers,
products, customers, orders, items, payments, reviews), streamed record by
record and written in batches. Per batch, foreign ids are resolved with one
``IN`` query per referenced table and existing rows are fetched with one
more, so memory and query count depend on the batch size, not the data.

The whole import is one transaction: an error (or a bad record without
``skip_invalid``) leaves the database as it was. Every row keeps its source
id, so importing the same files again finds every row unchanged.
Decisions about the quirks of the data are in docs/importer.md.
"""

import logging
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import connection, models, transaction

from catalog.importers.batches import (
    UNCHANGED,
    ImportResult,
    Loader,
    Lookup,
    ProgressCallback,
    Row,
    Run,
    upsert,
)
from catalog.importers.csv_files import CsvTable, csv_path_find
from catalog.importers.errors import ImportFailed, RowError, RowProblem
from catalog.importers.fields import (
    datetime_field,
    integer_field,
    money_field,
    text_field,
)
from catalog.importers.verticals import (
    VERTICALS,
    category_display_name,
    category_slug,
    vertical_slug_for_category,
)
from catalog.models import (
    Category,
    Order,
    OrderItem,
    OrderStatus,
    Payment,
    PriceChange,
    Product,
    Review,
    Store,
    Vertical,
)
from catalog.services import product_ratings_refresh
from crm.models import Customer, CustomerExternalId

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 1000
MAX_BATCH_SIZE = 5000
# What a source's money and naive timestamps are when the caller does not
# say: Olist is Brazilian, the demo generator writes a Paraguayan shop.
SOURCE_DEFAULTS = {
    "olist": ("BRL", "America/Sao_Paulo"),
    "demo": ("PYG", "America/Asuncion"),
}
# Advisory-lock key shared by every import (any constant 64-bit number).
IMPORT_LOCK_ID = 0x0D50_1157
SKU_PREFIXES = {"olist": "OL", "demo": "DEMO"}

# Olist order statuses -> the platform's lifecycle. The original word is
# kept in Order.source_status.
STATUS_MAP = {
    "created": OrderStatus.PLACED,
    "approved": OrderStatus.PAID,
    "invoiced": OrderStatus.PAID,
    "processing": OrderStatus.PAID,
    "shipped": OrderStatus.SHIPPED,
    "delivered": OrderStatus.DELIVERED,
    "canceled": OrderStatus.CANCELLED,
    "unavailable": OrderStatus.CANCELLED,
}


def _max_length(model: type[models.Model], name: str) -> int:
    field = cast(models.Field, model._meta.get_field(name))
    return int(field.max_length or 0)


def _money(values: dict[str, str], column: str) -> Decimal:
    return money_field(
        values,
        column,
        max_digits=settings.MONEY_MAX_DIGITS,
        decimal_places=settings.MONEY_DECIMAL_PLACES,
    )


def _text(
    values: dict[str, str],
    column: str,
    model: type[models.Model],
    name: str,
    *,
    required: bool = False,
) -> str:
    """Trimmed text that fits the ``name`` field of ``model``."""
    return text_field(
        values, column, max_length=_max_length(model, name), required=required
    ).strip()


def _source_id(values: dict[str, str], column: str) -> str:
    """Ids are keys: required, trimmed, short enough for ``source_id``."""
    return _text(values, column, Order, "source_id", required=True)


def _address(
    values: dict[str, str], prefix: str, model: type[models.Model]
) -> dict[str, str]:
    return {
        "zip_prefix": _text(values, f"{prefix}_zip_code_prefix", model, "zip_prefix"),
        "city": _text(values, f"{prefix}_city", model, "city"),
        "state": _text(values, f"{prefix}_state", model, "state"),
    }


class _CategoryMixin:
    run: Run

    def category_values(self, name: str, name_en: str) -> dict[str, Any]:
        return {
            "source": self.run.source,
            "source_id": name,
            "name": category_display_name(name)[: _max_length(Category, "name")],
            "name_en": category_display_name(name_en)[
                : _max_length(Category, "name_en")
            ],
            "slug": category_slug(source=self.run.source, name=name),
            "vertical_id": self.run.vertical_ids[vertical_slug_for_category(name)],
        }


class _CategoryLoader(_CategoryMixin, Loader):
    basename = "product_category_name_translation.csv"
    columns = ("product_category_name", "product_category_name_english")
    key_columns = ("product_category_name",)
    model = Category

    def parse(self, values: dict[str, str], line: int) -> Row:
        name = _source_id(values, "product_category_name")
        name_en = _text(values, "product_category_name_english", Category, "name_en")
        return Row(line=line, key=name, fields=self.category_values(name, name_en))

    def write(self, rows: list[Row]) -> list[str]:
        existing = self.existing(rows)
        for row in rows:
            # A vertical chosen in the admin wins over the default table.
            current = existing.get(row.key)
            if current is not None and current.vertical_id is not None:  # type: ignore[attr-defined]
                row.fields["vertical_id"] = current.vertical_id  # type: ignore[attr-defined]
        statuses = upsert(
            Category,
            [(row.key, row.fields) for row in rows],
            existing,
            run=self.run,
        )
        return [statuses[row.key] for row in rows]


class _StoreLoader(Loader):
    basename = "olist_sellers_dataset.csv"
    columns = (
        "seller_id",
        "seller_zip_code_prefix",
        "seller_city",
        "seller_state",
    )
    optional_columns = ("seller_name",)
    key_columns = ("seller_id",)
    model = Store

    def parse(self, values: dict[str, str], line: int) -> Row:
        seller_id = _source_id(values, "seller_id")
        name = _text(values, "seller_name", Store, "name")
        return Row(
            line=line,
            key=seller_id,
            fields={
                "source": self.run.source,
                "source_id": seller_id,
                "name": name or f"Tienda {seller_id[:8]}",
                **_address(values, "seller", Store),
            },
        )


class _ProductLoader(_CategoryMixin, Loader):
    basename = "olist_products_dataset.csv"
    # The two misspellings are Olist's own; both columns are read, unused.
    columns = (
        "product_id",
        "product_category_name",
        "product_name_lenght",
        "product_description_lenght",
        "product_photos_qty",
        "product_weight_g",
        "product_length_cm",
        "product_height_cm",
        "product_width_cm",
    )
    optional_columns = ("product_name",)
    key_columns = ("product_id",)
    model = Product

    def parse(self, values: dict[str, str], line: int) -> Row:
        product_id = _source_id(values, "product_id")
        prefix = SKU_PREFIXES.get(self.run.source, self.run.source.upper())
        sku = f"{prefix}-{product_id}"
        if len(sku) > _max_length(Product, "sku"):
            raise RowError("product_id", "too long to make a SKU from")
        category = _text(values, "product_category_name", Category, "source_id")
        name = _text(values, "product_name", Product, "name")
        if not name:
            label = category_display_name(category) if category else "Producto"
            name = f"{label} {product_id[:8]}"
        int_max = 2**31 - 1
        return Row(
            line=line,
            key=product_id,
            fields={
                "source": self.run.source,
                "source_id": product_id,
                "sku": sku,
                "name": name,
                "currency": self.run.currency,
                "photos_count": integer_field(values, "product_photos_qty"),
                "weight_g": integer_field(values, "product_weight_g", maximum=int_max),
                "length_cm": integer_field(
                    values, "product_length_cm", maximum=int_max
                ),
                "height_cm": integer_field(
                    values, "product_height_cm", maximum=int_max
                ),
                "width_cm": integer_field(values, "product_width_cm", maximum=int_max),
            },
            refs={"product_category_name": category},
        )

    def write(self, rows: list[Row]) -> list[str]:
        names = {row.refs["product_category_name"] for row in rows} - {""}
        category_ids = self._pks_by_source_id(Category)(names)
        missing = sorted(names - set(category_ids))
        if missing:
            # Olist products name two categories the translation file lacks;
            # they become categories without an English name.
            Category.objects.bulk_create(
                [Category(**self.category_values(name, "")) for name in missing]
            )
            self.run.result.categories_added += len(missing)
            category_ids = self._pks_by_source_id(Category)(names)
        for row in rows:
            name = row.refs["product_category_name"]
            row.fields["category_id"] = category_ids[name] if name else None
        return super().write(rows)


# TODO: the customer row of an order is its shipping address too; it is
# kept on the person only, so Order.shipping_* stay empty for imports and
# the fraud rules on shared addresses see nothing for Olist data.
class _CustomerLoader(Loader):
    """Olist customer rows are per order; the person is customer_unique_id.

    Each row becomes a CustomerExternalId (the per-order id) pointing to one
    Customer per person. A person's address comes from their first row in
    the file, so rows later in the file never flip it back and forth.
    """

    basename = "olist_customers_dataset.csv"
    columns = (
        "customer_id",
        "customer_unique_id",
        "customer_zip_code_prefix",
        "customer_city",
        "customer_state",
    )
    key_columns = ("customer_id",)
    model = CustomerExternalId

    def parse(self, values: dict[str, str], line: int) -> Row:
        customer_id = _source_id(values, "customer_id")
        return Row(
            line=line,
            key=customer_id,
            fields={
                "source": self.run.source,
                "source_id": _source_id(values, "customer_unique_id"),
                **_address(values, "customer", Customer),
            },
        )

    def write(self, rows: list[Row]) -> list[str]:
        repeats = self.run.seen.claim(
            kind="customer_unique_id",
            keys=[(row.fields["source_id"], row.line) for row in rows],
        )
        first_rows = [
            row for row, repeat in zip(rows, repeats, strict=True) if repeat is None
        ]
        person_ids = {row.fields["source_id"] for row in rows}
        people = {obj.source_id: obj for obj in self._sourced(Customer, person_ids)}
        person_status = upsert(
            Customer,
            [(row.fields["source_id"], row.fields) for row in first_rows],
            people,
            run=self.run,
        )
        person_pks = self._pks_by_source_id(Customer)(person_ids)
        links = {
            obj.external_id: obj
            for obj in CustomerExternalId.objects.filter(
                source=self.run.source, external_id__in=[row.key for row in rows]
            )
        }
        link_status = upsert(
            CustomerExternalId,
            [
                (
                    row.key,
                    {
                        "source": self.run.source,
                        "external_id": row.key,
                        "customer_id": person_pks[row.fields["source_id"]],
                    },
                )
                for row in rows
            ],
            links,
            run=self.run,
        )
        statuses = []
        for row, repeat in zip(rows, repeats, strict=True):
            status = link_status[row.key]
            if status == UNCHANGED and repeat is None:
                status = person_status[row.fields["source_id"]]
            statuses.append(status)
        return statuses


def _customer_pks_by_external_id(source: str) -> Lookup:
    def lookup(external_ids: set[str]) -> dict[str, Any]:
        return dict(
            CustomerExternalId.objects.filter(
                source=source, external_id__in=list(external_ids)
            ).values_list("external_id", "customer_id")
        )

    return lookup


class _OrderLoader(Loader):
    basename = "olist_orders_dataset.csv"
    columns = (
        "order_id",
        "customer_id",
        "order_status",
        "order_purchase_timestamp",
        "order_approved_at",
        "order_delivered_carrier_date",
        "order_delivered_customer_date",
        "order_estimated_delivery_date",
    )
    key_columns = ("order_id",)
    model = Order

    def parse(self, values: dict[str, str], line: int) -> Row:
        order_id = _source_id(values, "order_id")
        source_status = values["order_status"].strip()
        if source_status not in STATUS_MAP:
            raise RowError("order_status", f"unknown status {source_status!r}")
        tz = self.run.source_tz
        return Row(
            line=line,
            key=order_id,
            fields={
                "source": self.run.source,
                "source_id": order_id,
                "status": STATUS_MAP[source_status],
                "source_status": source_status,
                "currency": self.run.currency,
                "purchased_at": datetime_field(
                    values, "order_purchase_timestamp", source_tz=tz, required=True
                ),
                "approved_at": datetime_field(
                    values, "order_approved_at", source_tz=tz
                ),
                "shipped_at": datetime_field(
                    values, "order_delivered_carrier_date", source_tz=tz
                ),
                "delivered_at": datetime_field(
                    values, "order_delivered_customer_date", source_tz=tz
                ),
                "promised_delivery_at": datetime_field(
                    values, "order_estimated_delivery_date", source_tz=tz
                ),
            },
            refs={"customer_id": _source_id(values, "customer_id")},
        )

    def references(self) -> list[tuple[str, str, Lookup]]:
        return [
            (
                "customer_id",
                "customer_id",
                _customer_pks_by_external_id(self.run.source),
            )
        ]


class _OrderChildLoader(Loader):
    """Rows that belong to an order and are keyed inside it."""

    number_field: ClassVar[str]

    def db_key(self, row: Row) -> Any:
        return (row.fields["order_id"], row.fields[self.number_field])

    def existing(self, rows: list[Row]) -> dict[Any, models.Model]:
        order_ids = {row.fields["order_id"] for row in rows}
        return {
            (obj.order_id, getattr(obj, self.number_field)): obj  # type: ignore[attr-defined]
            for obj in self.model._default_manager.filter(order_id__in=order_ids)
        }

    def references(self) -> list[tuple[str, str, Lookup]]:
        return [("order_id", "order_id", self._pks_by_source_id(Order))]


class _ItemLoader(_OrderChildLoader):
    basename = "olist_order_items_dataset.csv"
    columns = (
        "order_id",
        "order_item_id",
        "product_id",
        "seller_id",
        "shipping_limit_date",
        "price",
        "freight_value",
    )
    key_columns = ("order_id", "order_item_id")
    model = OrderItem
    number_field = "line_number"

    def parse(self, values: dict[str, str], line: int) -> Row:
        order_id = _source_id(values, "order_id")
        number = integer_field(values, "order_item_id", minimum=1, required=True)
        return Row(
            line=line,
            key=self._key(order_id, number),
            fields={
                "line_number": number,
                "quantity": 1,
                "unit_price": _money(values, "price"),
                "freight": _money(values, "freight_value"),
                "shipping_limit_at": datetime_field(
                    values, "shipping_limit_date", source_tz=self.run.source_tz
                ),
            },
            refs={
                "order_id": order_id,
                "product_id": _source_id(values, "product_id"),
                "seller_id": _source_id(values, "seller_id"),
            },
        )

    def references(self) -> list[tuple[str, str, Lookup]]:
        return [
            *super().references(),
            ("product_id", "product_id", self._pks_by_source_id(Product)),
            ("seller_id", "store_id", self._pks_by_source_id(Store)),
        ]


class _PaymentLoader(_OrderChildLoader):
    basename = "olist_order_payments_dataset.csv"
    columns = (
        "order_id",
        "payment_sequential",
        "payment_type",
        "payment_installments",
        "payment_value",
    )
    key_columns = ("order_id", "payment_sequential")
    model = Payment
    number_field = "sequential"

    def parse(self, values: dict[str, str], line: int) -> Row:
        order_id = _source_id(values, "order_id")
        sequential = integer_field(
            values, "payment_sequential", minimum=1, required=True
        )
        return Row(
            line=line,
            key=self._key(order_id, sequential),
            fields={
                "sequential": sequential,
                "method": _text(
                    values, "payment_type", Payment, "method", required=True
                ),
                "installments": integer_field(
                    values, "payment_installments", required=True
                ),
                "amount": _money(values, "payment_value"),
            },
            refs={"order_id": order_id},
        )


class _ReviewLoader(Loader):
    """Olist review ids repeat across orders: the key is (review, order)."""

    basename = "olist_order_reviews_dataset.csv"
    columns = (
        "review_id",
        "order_id",
        "review_score",
        "review_comment_title",
        "review_comment_message",
        "review_creation_date",
        "review_answer_timestamp",
    )
    key_columns = ("review_id", "order_id")
    model = Review

    def parse(self, values: dict[str, str], line: int) -> Row:
        review_id = _source_id(values, "review_id")
        order_id = _source_id(values, "order_id")
        tz = self.run.source_tz
        return Row(
            line=line,
            key=self._key(review_id, order_id),
            fields={
                "source": self.run.source,
                "source_id": review_id,
                "score": integer_field(
                    values, "review_score", minimum=1, maximum=5, required=True
                ),
                "title": text_field(
                    values,
                    "review_comment_title",
                    max_length=_max_length(Review, "title"),
                ),
                "message": values["review_comment_message"],
                "reviewed_at": datetime_field(
                    values, "review_creation_date", source_tz=tz, required=True
                ),
                "answered_at": datetime_field(
                    values, "review_answer_timestamp", source_tz=tz
                ),
            },
            refs={"order_id": order_id},
        )

    def references(self) -> list[tuple[str, str, Lookup]]:
        return [("order_id", "order_id", self._pks_by_source_id(Order))]

    def db_key(self, row: Row) -> Any:
        return (row.fields["source_id"], row.fields["order_id"])

    def existing(self, rows: list[Row]) -> dict[Any, models.Model]:
        order_ids = {row.fields["order_id"] for row in rows}
        return {
            (obj.source_id, obj.order_id): obj
            for obj in Review.objects.filter(
                source=self.run.source, order_id__in=order_ids
            )
        }


LOADERS: tuple[type[Loader], ...] = (
    _CategoryLoader,
    _StoreLoader,
    _ProductLoader,
    _CustomerLoader,
    _OrderLoader,
    _ItemLoader,
    _PaymentLoader,
    _ReviewLoader,
)
OLIST_FILES = tuple(loader.basename for loader in LOADERS)


def _tables_find(directory: Path) -> list[CsvTable]:
    """Find every file and check its header before anything is written."""
    problems: list[RowProblem] = []
    tables = []
    if not directory.is_dir():
        raise ImportFailed(
            [
                RowProblem(
                    file=str(directory), line=0, column="", message="no such folder"
                )
            ]
        )
    for loader in LOADERS:
        path = csv_path_find(directory=directory, basename=loader.basename)
        if path is None:
            problems.append(
                RowProblem(
                    file=loader.basename,
                    line=0,
                    column="",
                    message=f"missing from {directory} (also looked for .gz)",
                )
            )
            continue
        table = CsvTable(
            path=path,
            name=path.name,
            columns=loader.columns,
            optional_columns=loader.optional_columns,
        )
        problems.extend(table.header_problems())
        tables.append(table)
    if problems:
        raise ImportFailed(problems)
    return tables


def _verticals_ensure() -> dict[str, int]:
    Vertical.objects.bulk_create(
        [Vertical(slug=slug, name=name) for slug, (name, _) in VERTICALS.items()],
        ignore_conflicts=True,
    )
    return dict(Vertical.objects.filter(slug__in=VERTICALS).values_list("slug", "pk"))


def _product_prices_refresh(*, source: str, now: datetime) -> int:
    """Set each product's price to its latest sold price, set-based.

    A window function picks, per product of ``source``, the unit price of
    the item in the most recently purchased order. Products whose price
    differs get a price-history row (one INSERT ... SELECT) and the new
    price (one UPDATE ... FROM); the others are not touched, so a
    re-import changes nothing. The SQL runs on PostgreSQL and SQLite.
    """
    tables = {
        "product": Product._meta.db_table,
        "item": OrderItem._meta.db_table,
        "order": Order._meta.db_table,
        "history": PriceChange._meta.db_table,
    }
    stale = (  # noqa: S608 (table names come from the models)
        "SELECT p.id AS product_id, p.price AS old_price, "
        "latest.unit_price AS new_price FROM {product} p JOIN ("
        "SELECT i.product_id, i.unit_price, ROW_NUMBER() OVER ("
        "PARTITION BY i.product_id ORDER BY o.purchased_at DESC, i.id DESC) AS n "
        "FROM {item} i JOIN {order} o ON o.id = i.order_id "
        "JOIN {product} ip ON ip.id = i.product_id "
        "WHERE ip.source = %s AND ip.source_id <> ''"
        ") latest ON latest.product_id = p.id AND latest.n = 1 "
        "WHERE p.price IS NULL OR p.price <> latest.unit_price"
    ).format(**tables)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO {history} "  # noqa: S608 (names come from the models)
            "(product_id, old_price, new_price, changed_at, reason) "
            "SELECT stale.product_id, stale.old_price, stale.new_price, %s, %s "
            "FROM ({stale}) stale".format(stale=stale, **tables),
            [now, f"import {source}: latest order item price", source],
        )
        cursor.execute(
            "UPDATE {product} SET price = stale.new_price "  # noqa: S608
            "FROM ({stale}) stale WHERE stale.product_id = {product}.id".format(
                stale=stale, **tables
            ),
            [source],
        )
        return cursor.rowcount


def _imports_serialize() -> None:
    """Make a second import wait for the first one's transaction to end.

    Two imports at once would race on the same source ids and the loser
    would fail on a unique constraint. PostgreSQL only; SQLite already
    allows a single writer.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_ID])


def _argument_error(message: str) -> ImportFailed:
    return ImportFailed([RowProblem(file="", line=0, column="", message=message)])


# TODO: rows that disappear from the files are never deleted, so a re-import
# of a shrunk export leaves stale orders and items that still count in
# rankings; a "--prune" pass per source would need its own safety checks.
def olist_import(
    *,
    directory: Path | str,
    source: str = "olist",
    currency: str | None = None,
    source_tz: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    skip_invalid: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Import the eight Olist CSVs found in ``directory``.

    ``source`` tags every row (and picks the defaults for ``currency`` and
    ``source_tz``, the zone of the naive timestamps). Without
    ``skip_invalid`` the first bad record raises ``ImportFailed`` and nothing
    is written; with it, bad records are counted, listed in the result and
    left out, and everything else is imported.
    """
    default_currency, default_tz = SOURCE_DEFAULTS.get(
        source, (settings.DEFAULT_CURRENCY, settings.TIME_ZONE)
    )
    currency = (currency or default_currency).upper()
    if not source or len(source) > _max_length(Order, "source"):
        raise _argument_error(f"bad source {source!r}")
    if len(currency) != 3 or not currency.isalpha():
        raise _argument_error(f"bad currency {currency!r}: use a 3-letter code")
    if not 1 <= batch_size <= MAX_BATCH_SIZE:
        raise _argument_error(f"batch size must be within 1..{MAX_BATCH_SIZE}")
    try:
        zone = ZoneInfo(source_tz or default_tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise _argument_error(f"unknown time zone {source_tz!r}") from None
    tables = _tables_find(Path(directory))
    run = Run(
        source=source,
        currency=currency,
        source_tz=zone,
        batch_size=batch_size,
        skip_invalid=skip_invalid,
        progress=progress,
        result=ImportResult(source=source),
    )
    logger.info(
        "olist_import.started",
        extra={"directory": str(directory), "source": source},
    )
    with transaction.atomic():
        _imports_serialize()
        run.seen.open()
        run.vertical_ids = _verticals_ensure()
        for loader_class, table in zip(LOADERS, tables, strict=True):
            loader_class(run=run, table=table).load()
        run.result.prices_changed = _product_prices_refresh(
            source=source, now=run.started_at
        )
        # One set-based UPDATE of the stored ratings of the source's products.
        product_ratings_refresh(products=Product.objects.filter(source=source))
        run.seen.close()
    logger.info(
        "olist_import.finished",
        extra={
            "source": source,
            "rejected": run.result.problems_total,
            "files": {c.file: c.read for c in run.result.files},
        },
    )
    return run.result


def olist_source_is_loaded(*, source: str = "olist") -> bool:
    """Tell whether orders of ``source`` were imported already."""
    return Order.objects.filter(source=source).exists()
