from datetime import date

import pytest
from django.core.management import CommandError
from django.utils import timezone

from rankings import services
from rankings.models import RankingKind, RankingRun, RunStatus
from tests.catalog.factories import StoreFactory
from tests.rankings.factories import command_output, local, sale, set_weights

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    return command_output("compute_rankings", *args)


@pytest.fixture
def one_sale():
    set_weights(revenue="1", min_orders=1)
    set_weights(RankingKind.PRODUCTS, revenue="1", min_orders=1)
    return sale(store=StoreFactory(), purchased_at=local(date(2026, 2, 27), hour=23))


def test_computes_every_kind_by_default(one_sale):
    output = _run("--as-of", "2026-03-01", "--window-days", "30")

    runs = RankingRun.objects.order_by("kind")
    assert [(r.kind, r.as_of, r.window_days, r.status) for r in runs] == [
        ("products", date(2026, 3, 1), 30, RunStatus.PUBLISHED),
        ("sellers", date(2026, 3, 1), 30, RunStatus.PUBLISHED),
    ]
    assert "Published Vendedores ranking as of 2026-03-01 (30 days" in output
    assert "1 entries" in output


def test_as_of_latest_is_the_day_after_the_latest_purchase(one_sale):
    _run("--kind", "sellers", "--as-of", "latest")

    run = RankingRun.objects.get()
    assert (run.kind, run.as_of, run.entry_count) == ("sellers", date(2026, 2, 28), 1)


def test_as_of_defaults_to_today(one_sale):
    _run("--kind", "products")

    assert RankingRun.objects.get().as_of == timezone.localdate()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--as-of", "2026-02-30"), "--as-of '2026-02-30' is not a date"),
        (("--as-of", "yesterday"), "--as-of 'yesterday' is not a date"),
        (("--kind", "customers"), "--kind 'customers' is not one of"),
        (("--window-days", "0"), "--window-days must be a positive"),
        (("--window-days", "-5"), "--window-days must be a positive"),
        (("--vertical", "nope"), "--vertical 'nope': no such vertical"),
        (("--as-of", "9999-12-31"), "9999-12-31 is in the future"),
        (("--as-of", "0001-01-05"), "leaves no room for the window"),
    ],
)
def test_rejects_bad_options_and_computes_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)

    assert not RankingRun.objects.exists()


def test_as_of_latest_without_orders_says_so():
    with pytest.raises(CommandError, match="needs at least one order"):
        _run("--as-of", "latest")


def test_a_failing_run_is_reported_as_not_published(one_sale, monkeypatch):
    def explode(*, run):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "_run_publish", explode)

    with pytest.raises(
        CommandError, match=r"failed and was not published \(RuntimeError: boom\)"
    ):
        _run("--kind", "sellers", "--as-of", "2026-03-01")
    assert RankingRun.objects.get().status == RunStatus.FAILED
