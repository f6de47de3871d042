from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Avg, Count, Max, Min, Q

from catalog.importers import olist_import
from catalog.importers.demo_data import demo_data_generate
from catalog.models import Order, OrderStatus, Product, Store

TODAY = date(2026, 12, 4)
SIZE = {"sellers": 14, "products": 70, "orders": 600}


def _generate(directory, seed=42):
    return demo_data_generate(directory=directory, seed=seed, today=TODAY, **SIZE)


def _contents(directory):
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def test_same_seed_writes_the_same_bytes(tmp_path):
    _generate(tmp_path / "a")
    _generate(tmp_path / "b")
    _generate(tmp_path / "c", seed=7)

    assert len(_contents(tmp_path / "a")) == 8
    assert _contents(tmp_path / "a") == _contents(tmp_path / "b")
    assert _contents(tmp_path / "a") != _contents(tmp_path / "c")


@pytest.mark.django_db
def test_demo_data_loads_as_a_guarani_marketplace_of_the_last_year(tmp_path):
    counts = _generate(tmp_path)

    result = olist_import(directory=tmp_path, source="demo")

    assert {c.file: c.created for c in result.files} == counts
    assert result.problems_total == 0
    assert counts["olist_orders_dataset.csv"] == 600
    assert set(Order.objects.values_list("currency", flat=True)) == {"PYG"}
    assert set(Product.objects.values_list("currency", flat=True)) == {"PYG"}
    span = Order.objects.aggregate(first=Min("purchased_at"), last=Max("purchased_at"))
    midnight = datetime(2026, 12, 4, tzinfo=ZoneInfo("America/Asuncion"))
    assert (
        midnight - timedelta(days=366) < span["first"] < midnight - timedelta(days=330)
    )
    assert midnight - timedelta(days=3) < span["last"] < midnight
    recent = Order.objects.filter(purchased_at__gte=midnight - timedelta(days=90))
    assert recent.count() > 100


@pytest.mark.django_db
def test_demo_sellers_differ_in_quality(tmp_path):
    _generate(tmp_path)
    olist_import(directory=tmp_path, source="demo")

    stores = Store.objects.annotate(
        orders=Count("order_items__order", distinct=True),
        cancelled=Count(
            "order_items__order",
            filter=Q(order_items__order__status=OrderStatus.CANCELLED),
            distinct=True,
        ),
        score=Avg("order_items__order__reviews__score"),
    ).filter(orders__gt=0)
    tiny = [s for s in stores if s.orders <= 5]
    busy = [s for s in stores if s.orders >= 20]
    assert tiny
    assert all(s.score in (None, 5) for s in tiny)
    assert max(s.cancelled / s.orders for s in busy) > 0.12
    assert min(s.cancelled / s.orders for s in busy) < 0.04
    assert max(s.score for s in busy) - min(s.score for s in busy) > 1


def test_command_writes_files_and_reports_counts(tmp_path):
    out = StringIO()
    call_command(
        "generate_demo_data",
        "--seed",
        "3",
        "--out",
        str(tmp_path),
        "--sellers",
        "7",
        "--products",
        "20",
        "--orders",
        "50",
        "--today",
        "2026-12-04",
        stdout=out,
    )

    assert "olist_orders_dataset.csv: 50 records" in out.getvalue()
    assert (tmp_path / "olist_sellers_dataset.csv").read_text().count("\n") == 8
