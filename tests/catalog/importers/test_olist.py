from datetime import UTC, datetime
from decimal import Decimal

import pytest

from catalog.importers import ImportFailed, olist_import
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
from crm.models import Customer
from tests.catalog.importers.olist_files import (
    CATEGORIES,
    CUSTOMERS,
    ITEMS,
    MULTILINE_MESSAGE,
    ORDERS,
    PAYMENTS,
    PRODUCTS,
    REVIEWS,
    SELLERS,
    olist_files_write,
    olist_rows,
)

pytestmark = pytest.mark.django_db

EXPECTED_READ = {
    CATEGORIES: 2,
    SELLERS: 2,
    PRODUCTS: 4,
    CUSTOMERS: 4,
    ORDERS: 4,
    ITEMS: 5,
    PAYMENTS: 4,
    REVIEWS: 4,
}


def _counts(result):
    return {
        c.file.removesuffix(".gz"): (
            c.read,
            c.created,
            c.updated,
            c.unchanged,
            c.rejected,
        )
        for c in result.files
    }


def _assert_nothing_written():
    for model in (Vertical, Category, Store, Product, Customer, Order, Review):
        assert model.objects.count() == 0, model


def test_import_counts_every_record_as_created(tmp_path):
    result = olist_import(directory=olist_files_write(tmp_path))

    assert _counts(result) == {
        name: (read, read, 0, 0, 0) for name, read in EXPECTED_READ.items()
    }
    assert result.categories_added == 1
    assert result.prices_changed == 3
    assert result.problems == []


def test_import_converts_naive_brazilian_time_to_utc(tmp_path):
    olist_import(directory=olist_files_write(tmp_path))

    summer = Order.objects.get(source_id="o1")
    winter = Order.objects.get(source_id="o4")
    # January 2018: Sao Paulo on summer time, UTC-2.
    assert summer.purchased_at == datetime(2018, 1, 14, 16, 33, 31, tzinfo=UTC)
    assert summer.promised_delivery_at == datetime(2018, 2, 5, 2, 0, tzinfo=UTC)
    # July: UTC-3.
    assert winter.purchased_at == datetime(2018, 7, 4, 15, 8, 27, tzinfo=UTC)
    assert winter.delivered_at == datetime(2018, 7, 9, 17, 4, 7, tzinfo=UTC)


def test_import_maps_statuses_and_keeps_orders_without_items(tmp_path):
    olist_import(directory=olist_files_write(tmp_path))

    orders = {o.source_id: o for o in Order.objects.all()}
    assert orders["o1"].status == OrderStatus.DELIVERED
    assert orders["o2"].status == OrderStatus.CANCELLED
    assert orders["o2"].source_status == "unavailable"
    assert orders["o2"].items.count() == 0
    assert orders["o3"].status == OrderStatus.SHIPPED
    assert orders["o3"].approved_at is None
    assert {o.currency for o in orders.values()} == {"BRL"}


def test_import_links_per_order_customer_ids_to_one_person(tmp_path):
    olist_import(directory=olist_files_write(tmp_path))

    person = Customer.objects.get(source="olist", source_id="u1")
    assert Customer.objects.count() == 3
    assert sorted(person.external_ids.values_list("external_id", flat=True)) == [
        "c1a",
        "c1b",
    ]
    # The person's address is their first row's.
    assert (person.zip_prefix, person.city, person.state) == (
        "35550",
        "itapecerica",
        "MG",
    )
    assert set(
        Order.objects.filter(customer=person).values_list("source_id", flat=True)
    ) == {
        "o1",
        "o3",
    }


def test_import_stores_items_payments_and_reviews_as_in_the_files(tmp_path):
    olist_import(directory=olist_files_write(tmp_path))

    item = OrderItem.objects.select_related("product", "store").get(
        order__source_id="o3", line_number=1
    )
    assert (item.product.source_id, item.store.source_id) == ("p2", "s2")
    assert (item.unit_price, item.freight, item.quantity) == (
        Decimal("50.50"),
        Decimal("5.25"),
        1,
    )
    # Olist's sequential may start above 1; it is kept as it is.
    payment = Payment.objects.get(order__source_id="o3")
    assert (payment.sequential, payment.method, payment.amount) == (
        2,
        "voucher",
        Decimal("55.75"),
    )
    review = Review.objects.get(source_id="r1")
    assert review.message == MULTILINE_MESSAGE
    assert review.reviewed_at == datetime(2018, 1, 23, 2, 0, tzinfo=UTC)
    repeated = Review.objects.filter(source_id="rdup").order_by("order__source_id")
    assert [(r.order.source_id, r.score) for r in repeated] == [("o3", 4), ("o4", 3)]


def test_import_builds_catalog_names_skus_verticals_and_prices(tmp_path):
    olist_import(directory=olist_files_write(tmp_path))

    products = {p.source_id: p for p in Product.objects.select_related("category")}
    assert products["p1"].sku == "OL-p1"
    assert products["p1"].name == "Cama mesa banho p1"
    assert products["p4"].name == "Producto p4"
    assert products["p4"].category is None
    assert products["p1"].currency == "BRL"
    # p1 sold at 100.00 in January and 120.00 in July: the latest wins.
    assert products["p1"].price == Decimal("120.00")
    assert products["p3"].price == Decimal("1999.90")
    assert products["p4"].price is None
    history = PriceChange.objects.get(product=products["p1"])
    assert (history.old_price, history.new_price) == (None, Decimal("120.00"))
    gamer = Category.objects.get(source_id="pc_gamer")
    assert (gamer.name, gamer.name_en) == ("Pc gamer", "")
    assert gamer.vertical.slug == "tecnologia"
    bed = Category.objects.get(source_id="cama_mesa_banho")
    assert (bed.name_en, bed.slug, bed.vertical.slug) == (
        "Bed bath table",
        "olist-cama-mesa-banho",
        "hogar",
    )
    assert Store.objects.get(source_id="s1").name == "Tienda s1"


def test_reimport_changes_nothing(tmp_path):
    directory = olist_files_write(tmp_path)
    olist_import(directory=directory)
    first_updated = dict(Order.objects.values_list("source_id", "updated_at"))

    result = olist_import(directory=directory)

    assert _counts(result) == {
        name: (read, 0, 0, read, 0) for name, read in EXPECTED_READ.items()
    }
    assert not result.changed_anything
    assert dict(Order.objects.values_list("source_id", "updated_at")) == first_updated
    assert PriceChange.objects.count() == 3
    assert Review.objects.count() == 4


def test_reimport_counts_a_changed_field_as_updated(tmp_path):
    rows = olist_rows()
    olist_import(directory=olist_files_write(tmp_path, rows))
    rows[ORDERS][2]["order_status"] = "delivered"
    rows[ORDERS][2]["order_delivered_customer_date"] = "2018-05-10 11:00:00"
    rows[ITEMS][3]["price"] = "130.00"

    result = olist_import(directory=olist_files_write(tmp_path, rows))

    assert result.counts_for(ORDERS).updated == 1
    assert result.counts_for(ORDERS).unchanged == 3
    assert result.counts_for(ITEMS).updated == 1
    assert result.prices_changed == 1
    assert Order.objects.get(source_id="o3").status == OrderStatus.DELIVERED
    assert Product.objects.get(source_id="p1").price == Decimal("130.00")
    assert PriceChange.objects.filter(product__source_id="p1").count() == 2


def test_import_reads_gzip_files(tmp_path):
    result = olist_import(directory=olist_files_write(tmp_path, compress=True))

    assert result.counts_for(ORDERS).file == f"{ORDERS}.gz"
    assert _counts(result) == {
        name: (read, read, 0, 0, 0) for name, read in EXPECTED_READ.items()
    }
    assert Review.objects.get(source_id="r1").message == MULTILINE_MESSAGE


def test_demo_source_defaults_to_guarani_and_asuncion_time(tmp_path):
    olist_import(directory=olist_files_write(tmp_path), source="demo")

    order = Order.objects.get(source="demo", source_id="o4")
    assert order.currency == "PYG"
    assert order.purchased_at == datetime(2018, 7, 4, 16, 8, 27, tzinfo=UTC)
    assert Product.objects.get(source_id="p1").sku == "DEMO-p1"


# File-level problems stop the import even with skip_invalid.
@pytest.mark.parametrize("skip_invalid", [False, True])
def test_missing_file_fails_before_writing(tmp_path, skip_invalid):
    directory = olist_files_write(tmp_path)
    (directory / PAYMENTS).unlink()

    with pytest.raises(ImportFailed) as failure:
        olist_import(directory=directory, skip_invalid=skip_invalid)

    assert str(failure.value).startswith(f"{PAYMENTS}: missing from {directory}")
    _assert_nothing_written()


# File-level problems stop the import even with skip_invalid.
@pytest.mark.parametrize("skip_invalid", [False, True])
def test_wrong_header_names_missing_and_unexpected_columns(tmp_path, skip_invalid):
    rows = olist_rows()
    for row in rows[ORDERS]:
        row["status"] = row.pop("order_status")
    directory = olist_files_write(tmp_path, rows)

    with pytest.raises(ImportFailed) as failure:
        olist_import(directory=directory, skip_invalid=skip_invalid)

    assert [str(p) for p in failure.value.problems] == [
        f"{ORDERS}:1: missing columns: order_status",
        f"{ORDERS}:1: unexpected columns: status",
    ]
    _assert_nothing_written()


# (file, row index, column, bad value, message, rejected rows per file)
BAD_VALUES = [
    pytest.param(
        ORDERS,
        1,
        "order_purchase_timestamp",
        "2018-02-30 10:00:00",
        f"{ORDERS}:3 column order_purchase_timestamp: invalid date "
        "'2018-02-30 10:00:00' (expected YYYY-MM-DD HH:MM:SS)",
        # o2's review is then an unknown order.
        {ORDERS: 1, REVIEWS: 1},
        id="bad-date",
    ),
    pytest.param(
        ITEMS,
        2,
        "price",
        "50,50",
        f"{ITEMS}:4 column price: invalid decimal '50,50'",
        {ITEMS: 1},
        id="bad-decimal",
    ),
    pytest.param(
        REVIEWS,
        2,
        "review_score",
        "6",
        # Line 5: the review on line 2 spans two lines.
        f"{REVIEWS}:5 column review_score: 6 is outside 1..5",
        {REVIEWS: 1},
        id="score-out-of-range",
    ),
    pytest.param(
        ITEMS,
        2,
        "product_id",
        "p9",
        f"{ITEMS}:4 column product_id: unknown product_id 'p9'",
        {ITEMS: 1},
        id="unknown-foreign-id",
    ),
    pytest.param(
        ORDERS,
        3,
        "order_status",
        "lost",
        f"{ORDERS}:5 column order_status: unknown status 'lost'",
        # o4's items, payments and review then point to an unknown order.
        {ORDERS: 1, ITEMS: 2, PAYMENTS: 2, REVIEWS: 1},
        id="unknown-status",
    ),
]


@pytest.mark.parametrize(
    ("basename", "index", "column", "value", "message", "rejected"), BAD_VALUES
)
def test_bad_value_fails_whole_import(
    tmp_path, basename, index, column, value, message, rejected
):
    rows = olist_rows()
    rows[basename][index][column] = value

    with pytest.raises(ImportFailed) as failure:
        olist_import(directory=olist_files_write(tmp_path, rows))

    assert str(failure.value) == message
    _assert_nothing_written()


@pytest.mark.parametrize(
    ("basename", "index", "column", "value", "message", "rejected"), BAD_VALUES
)
def test_bad_value_is_listed_and_skipped_with_skip_invalid(
    tmp_path, basename, index, column, value, message, rejected
):
    rows = olist_rows()
    rows[basename][index][column] = value

    result = olist_import(
        directory=olist_files_write(tmp_path, rows), skip_invalid=True
    )

    assert str(result.problems[0]) == message
    assert result.problems_total == sum(rejected.values())
    for name, read in EXPECTED_READ.items():
        counts = result.counts_for(name)
        assert counts.rejected == rejected.get(name, 0), name
        assert counts.created == read - counts.rejected, name


def test_duplicated_key_in_one_file_is_rejected(tmp_path):
    rows = olist_rows()
    rows[PAYMENTS].append({**rows[PAYMENTS][0], "payment_value": "1.00"})

    with pytest.raises(ImportFailed) as failure:
        olist_import(directory=olist_files_write(tmp_path, rows))
    result = olist_import(directory=tmp_path, skip_invalid=True)

    assert str(failure.value) == (
        f"{PAYMENTS}:6 column order_id, payment_sequential: duplicate of line 2"
    )
    assert result.counts_for(PAYMENTS).rejected == 1
    # The first occurrence wins.
    assert Payment.objects.get(order__source_id="o1").amount == Decimal("220.00")


def test_duplicated_key_across_batches_is_rejected(tmp_path):
    rows = olist_rows()
    rows[ORDERS].append(dict(rows[ORDERS][0]))

    result = olist_import(
        directory=olist_files_write(tmp_path, rows), batch_size=2, skip_invalid=True
    )

    assert [str(p) for p in result.problems] == [
        f"{ORDERS}:6 column order_id: duplicate of line 2"
    ]
    assert Order.objects.count() == 4


def test_record_with_wrong_field_count_is_rejected(tmp_path):
    directory = olist_files_write(tmp_path)
    with (directory / ORDERS).open("a", encoding="utf-8") as handle:
        handle.write("o5,c3,delivered\n")

    with pytest.raises(ImportFailed) as failure:
        olist_import(directory=directory)
    result = olist_import(directory=directory, skip_invalid=True)

    assert str(failure.value) == f"{ORDERS}:6: expected 8 fields, found 3"
    assert result.counts_for(ORDERS).rejected == 1
    assert Order.objects.count() == 4


def test_import_stores_each_products_rating_from_its_orders_reviews(tmp_path):
    directory = olist_files_write(tmp_path)
    olist_import(directory=directory)
    Product.objects.filter(source_id="p2").update(rating_sum=0, reviews_count=0)

    olist_import(directory=directory)

    rows = Product.objects.values_list("source_id", "rating_sum", "reviews_count")
    # p1: r1 (5, once for both lines of o1) and rdup of o4 (3); p2 is
    # repaired by the second import; p4 was never sold.
    assert sorted(rows) == [("p1", 8, 2), ("p2", 4, 1), ("p3", 3, 1), ("p4", 0, 0)]
