from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.models import OrderStatus, Vertical
from rankings import services
from rankings.models import (
    RankingEntry,
    RankingKind,
    RankingRun,
    RankingWeightSet,
    RunStatus,
)
from rankings.selectors import ranking_run_latest_published
from rankings.services import ranking_run_create
from tests.catalog.factories import (
    CategoryFactory,
    OrderFactory,
    OrderItemFactory,
    ProductFactory,
    ReviewFactory,
    StoreFactory,
)
from tests.rankings.factories import AS_OF, WINDOW_START, local, sale, set_weights

pytestmark = pytest.mark.django_db

DEFAULT_WEIGHTS = {
    "revenue": "1",
    "orders": "1",
    "units": "0",
    "rating": "1",
    "on_time": "1",
    "cancellation": "0.5",
}


def _entries(run: RankingRun) -> dict[str, RankingEntry]:
    return {entry.store.name: entry for entry in run.entries.select_related("store")}


@pytest.fixture
def two_sellers():
    """S1: 4 orders (1 cancelled, 1 late, 1 on time that very day); S2: 3."""
    s1 = StoreFactory(name="S1", source_id="seller-1", source="olist")
    s2 = StoreFactory(name="S2", source_id="seller-2", source="olist")
    day = date(2026, 1, 10)
    sale(store=s1, purchased_at=local(day), prices=("50.00", "50.00"), review=4)
    sale(
        store=s1,
        purchased_at=local(day),
        prices=("10.00",),
        quantity=3,
        late_days=1,
        review=2,
    )
    sale(
        store=s1,
        purchased_at=local(day),
        prices=("1000.00",),
        status=OrderStatus.CANCELLED,
    )
    sale(store=s1, purchased_at=local(day), prices=("40.00",), late_days=0)
    for _ in range(3):
        sale(store=s2, purchased_at=local(day), prices=("20.00",), review=5)
    return s1, s2


def test_computes_every_component_of_each_seller(two_sellers):
    set_weights(**DEFAULT_WEIGHTS, min_orders=3)

    run = ranking_run_create(kind=RankingKind.SELLERS, as_of=AS_OF)

    entries = _entries(run)
    s1, s2 = entries["S1"], entries["S2"]
    assert (s1.revenue, s1.orders, s1.cancelled_orders, s1.units) == (
        Decimal("170.00"),
        4,
        1,
        6,
    )
    assert (s2.revenue, s2.orders, s2.cancelled_orders, s2.units) == (
        Decimal("60.00"),
        3,
        0,
        3,
    )
    # Reviews: m = (4 + 2 + 5*3) / 5 = 4.2, C = 10.
    assert (s1.review_count, s1.review_mean, s1.rating) == (
        2,
        Decimal("3.0000"),
        Decimal("4.0000"),
    )
    assert (s2.review_count, s2.review_mean, s2.rating) == (
        3,
        Decimal("5.0000"),
        Decimal("4.3846"),
    )
    # On time: 5 of 6 delivered orders in the window, C = 5:
    # S1 (25/6 + 2) / 8, S2 (25/6 + 3) / 8.
    assert (s1.delivered_orders, s1.on_time_orders, s1.on_time_rate) == (
        3,
        2,
        Decimal("0.770833"),
    )
    assert (s2.delivered_orders, s2.on_time_orders, s2.on_time_rate) == (
        3,
        3,
        Decimal("0.895833"),
    )
    assert (s1.cancellation_rate, s2.cancellation_rate) == (
        Decimal("0.25"),
        Decimal("0"),
    )
    assert run.parameters["rating_prior_mean"] == "4.2000"
    assert run.parameters["on_time_prior_rate"] == "0.833333"


def test_normalises_components_and_combines_them_with_the_weights(two_sellers):
    set_weights(**DEFAULT_WEIGHTS, min_orders=3)

    run = ranking_run_create(kind=RankingKind.SELLERS, as_of=AS_OF)

    s1, s2 = _entries(run)["S1"], _entries(run)["S2"]
    assert [s1.revenue_norm, s1.orders_norm, s1.units_norm] == [1, 1, 1]
    assert [s1.rating_norm, s1.on_time_norm, s1.cancellation_norm] == [0, 0, 0]
    assert [s2.revenue_norm, s2.orders_norm, s2.units_norm] == [0, 0, 0]
    assert [s2.rating_norm, s2.on_time_norm, s2.cancellation_norm] == [1, 1, 1]
    # (1 + 1) / 4.5 and (1 + 1 + 0.5) / 4.5
    assert (s1.score, s2.score) == (Decimal("0.444444"), Decimal("0.555556"))
    assert (s2.rank, s1.rank) == (1, 2)
    assert (s2.entity_source_id, s1.entity_source_id) == ("seller-2", "seller-1")
    assert run.status == RunStatus.PUBLISHED
    assert run.entry_count == 2
    assert run.parameters["weights"]["cancellation"] == "0.500"


@pytest.mark.parametrize(
    ("status", "quantity", "cancellation_rate"),
    [
        (OrderStatus.CANCELLED, 2, Decimal("0.5")),
        (OrderStatus.RETURNED, 1, Decimal("0")),
        (OrderStatus.PLACED, 1, Decimal("0")),
    ],
)
def test_cancelled_returned_and_unpaid_orders_add_no_revenue_and_no_units(
    status, quantity, cancellation_rate
):
    store = StoreFactory(name="S")
    sale(store=store, purchased_at=local(date(2026, 2, 1)), prices=("30.00",))
    sale(
        store=store,
        purchased_at=local(date(2026, 2, 2)),
        prices=("9999999.00",),
        quantity=quantity,
        status=status,
    )
    set_weights(revenue="1", min_orders=1)

    run = ranking_run_create(kind=RankingKind.SELLERS, as_of=AS_OF)

    entry = run.entries.get()
    assert (entry.revenue, entry.units, entry.orders) == (Decimal("30.00"), 1, 2)
    assert entry.cancellation_rate == cancellation_rate


def test_few_perfect_reviews_do_not_outrank_many_good_ones():
    few = StoreFactory(name="A")
    many = StoreFactory(name="B")
    poor = StoreFactory(name="C")
    day = local(date(2026, 1, 5))
    for _ in range(2):
        sale(store=few, purchased_at=day, review=5)
    for score in [5] * 16 + [4] * 4:
        sale(store=many, purchased_at=day, review=score)
    for _ in range(8):
        sale(store=poor, purchased_at=day, review=3)
    set_weights(rating="1", min_orders=1, rating_prior_strength=Decimal("10"))

    run = ranking_run_create(kind=RankingKind.SELLERS, as_of=AS_OF)

    entries = _entries(run)
    # m = 130 / 30; A = (10m + 10) / 12, B = (10m + 96) / 30,
    # C = (10m + 24) / 18
    assert entries["A"].review_mean == Decimal("5.0000")
    assert entries["B"].review_mean == Decimal("4.8000")
    assert entries["A"].rating == Decimal("4.4444")
    assert entries["B"].rating == Decimal("4.6444")
    assert entries["C"].rating == Decimal("3.7407")
    assert [entries[n].rank for n in "BAC"] == [1, 2, 3]


def test_sellers_below_the_minimum_volume_are_not_ranked(two_sellers):
    set_weights(**DEFAULT_WEIGHTS, min_orders=4)

    run = ranking_run_create(kind=RankingKind.SELLERS, as_of=AS_OF)

    assert list(_entries(run)) == ["S1"]
    only = _entries(run)["S1"]
    assert (only.rank, only.revenue_norm, only.cancellation_norm) == (1, 0, 1)


def test_window_includes_its_first_instant_and_excludes_as_of():
    store = StoreFactory(name="S")
    start = local(WINDOW_START, hour=0)
    end = local(AS_OF, hour=0)
    sale(store=store, purchased_at=start, prices=("1.00",))
    sale(store=store, purchased_at=end - timedelta(seconds=1), prices=("2.00",))
    sale(store=store, purchased_at=start - timedelta(seconds=1), prices=("4.00",))
    sale(store=store, purchased_at=end, prices=("8.00",))
    set_weights(revenue="1", min_orders=1)

    run = ranking_run_create(kind=RankingKind.SELLERS, as_of=AS_OF)

    entry = run.entries.get()
    assert (entry.orders, entry.revenue) == (2, Decimal("3.00"))
    assert run.parameters["window_start"] == "2025-12-01T00:00:00-03:00"
    assert run.parameters["window_end"] == "2026-03-01T00:00:00-03:00"


def test_an_order_review_counts_for_every_seller_in_the_order():
    first = StoreFactory(name="S1")
    second = StoreFactory(name="S2")
    order = OrderFactory(purchased_at=local(date(2026, 2, 1)))
    OrderItemFactory(order=order, line_number=1, store=first)
    OrderItemFactory(order=order, line_number=2, store=first)
    OrderItemFactory(order=order, line_number=3, store=second)
    ReviewFactory(order=order, score=2)
    set_weights(rating="1", min_orders=1, rating_prior_strength=Decimal("0"))

    run = ranking_run_create(kind=RankingKind.SELLERS, as_of=AS_OF)

    entries = _entries(run)
    assert (entries["S1"].review_count, entries["S1"].rating) == (1, Decimal("2"))
    assert (entries["S2"].review_count, entries["S2"].rating) == (1, Decimal("2"))


def test_movement_compares_with_the_previous_published_run():
    s1, s2, s3 = (StoreFactory(name=n) for n in ("S1", "S2", "S3"))
    sale(store=s1, purchased_at=local(date(2026, 1, 10)), prices=("300.00",))
    sale(store=s2, purchased_at=local(date(2026, 1, 11)), prices=("100.00",))
    sale(store=s2, purchased_at=local(date(2026, 2, 10)), prices=("500.00",))
    sale(store=s3, purchased_at=local(date(2026, 2, 11)), prices=("50.00",))
    set_weights(revenue="1", min_orders=1)
    first = ranking_run_create(
        kind=RankingKind.SELLERS, as_of=date(2026, 2, 1), window_days=30
    )

    second = ranking_run_create(
        kind=RankingKind.SELLERS, as_of=date(2026, 3, 1), window_days=30
    )

    assert [(e.store.name, e.rank) for e in first.entries.order_by("rank")] == [
        ("S1", 1),
        ("S2", 2),
    ]
    moved = {
        e.store.name: (e.rank, e.previous_rank, e.movement)
        for e in second.entries.all()
    }
    assert moved == {"S2": (1, 2, 1), "S3": (2, None, None)}
    assert second.previous_run == first
    assert second.parameters["previous_run_id"] == first.pk


def test_failure_mid_run_keeps_the_previous_run_published(two_sellers, monkeypatch):
    set_weights(**DEFAULT_WEIGHTS, min_orders=3)
    published = ranking_run_create(kind=RankingKind.SELLERS, as_of=AS_OF)

    def explode(*, run):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_run_publish", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        ranking_run_create(kind=RankingKind.SELLERS, as_of=AS_OF)

    failed = RankingRun.objects.exclude(pk=published.pk).get()
    assert failed.status == RunStatus.FAILED
    assert failed.error == "RuntimeError: disk full"
    assert failed.finished_at is not None
    assert not failed.entries.exists()
    published.refresh_from_db()
    assert published.status == RunStatus.PUBLISHED
    assert ranking_run_latest_published(kind=RankingKind.SELLERS) == published
    assert RankingEntry.objects.count() == 2


def test_same_key_again_replaces_the_published_run(two_sellers):
    set_weights(**DEFAULT_WEIGHTS, min_orders=3)
    first = ranking_run_create(kind=RankingKind.SELLERS, as_of=AS_OF)

    second = ranking_run_create(kind=RankingKind.SELLERS, as_of=AS_OF)

    first.refresh_from_db()
    assert first.status == RunStatus.SUPERSEDED
    assert second.status == RunStatus.PUBLISHED
    assert RankingRun.objects.filter(status=RunStatus.PUBLISHED).count() == 1
    assert ranking_run_latest_published(kind=RankingKind.SELLERS) == second
    # A recomputation of the same day does not count as movement.
    assert second.previous_run is None
    assert set(second.entries.values_list("movement", flat=True)) == {None}


def test_products_kind_ranks_products_across_stores():
    shared = ProductFactory(name="P1", source_id="prod-1", source="olist")
    other = ProductFactory(name="P2", source_id="prod-2", source="olist")
    day = local(date(2026, 2, 1))
    sale(
        store=StoreFactory(),
        product=shared,
        purchased_at=day,
        prices=("10.00",),
        review=5,
    )
    sale(
        store=StoreFactory(),
        product=shared,
        purchased_at=day,
        prices=("15.00",),
        quantity=2,
        review=3,
    )
    sale(
        store=StoreFactory(),
        product=other,
        purchased_at=day,
        prices=("100.00",),
        review=1,
    )
    set_weights(
        RankingKind.PRODUCTS,
        revenue="1",
        min_orders=1,
        rating_prior_strength=Decimal("0"),
    )

    run = ranking_run_create(kind=RankingKind.PRODUCTS, as_of=AS_OF)

    entries = {e.product.name: e for e in run.entries.select_related("product")}
    p1, p2 = entries["P1"], entries["P2"]
    assert (p1.revenue, p1.orders, p1.units, p1.review_count, p1.rating) == (
        Decimal("40.00"),
        2,
        3,
        2,
        Decimal("4"),
    )
    assert (p2.rank, p1.rank) == (1, 2)
    assert (p2.entity_source_id, p2.store_id) == ("prod-2", None)


def test_rejects_a_non_positive_window():
    with pytest.raises(ValidationError, match="at least 1 day"):
        ranking_run_create(kind=RankingKind.SELLERS, as_of=AS_OF, window_days=0)

    assert not RankingRun.objects.exists()


def test_rejects_an_unknown_kind():
    with pytest.raises(ValidationError, match="Unknown ranking kind"):
        ranking_run_create(kind="customers", as_of=AS_OF)


def test_repeated_items_and_reviews_are_each_counted_once():
    store = StoreFactory(name="S")
    order = sale(
        store=store,
        purchased_at=local(date(2026, 2, 1)),
        prices=("10.00", "10.00", "10.00"),
        review=1,
    )
    ReviewFactory(order=order, score=5)
    set_weights(rating="1", min_orders=1, rating_prior_strength=Decimal("0"))

    run = ranking_run_create(kind=RankingKind.SELLERS, as_of=AS_OF)

    entry = run.entries.get()
    assert (entry.revenue, entry.units, entry.orders) == (Decimal("30.00"), 3, 1)
    assert (entry.review_count, entry.review_mean, entry.rating) == (
        2,
        Decimal("3.0000"),
        Decimal("3.0000"),
    )


def test_a_vertical_run_counts_its_items_only_and_uses_its_weights():
    vertical = Vertical.objects.create(name="Moda", slug="moda")
    fashion = ProductFactory(category=CategoryFactory(vertical=vertical))
    store = StoreFactory(name="S")
    day = local(date(2026, 2, 1))
    sale(store=store, product=fashion, purchased_at=day, prices=("70.00",))
    sale(store=store, purchased_at=day, prices=("500.00",))
    set_weights(revenue="1", min_orders=1)
    own = RankingWeightSet.objects.create(
        kind=RankingKind.SELLERS, vertical=vertical, min_orders=1
    )

    run = ranking_run_create(kind=RankingKind.SELLERS, as_of=AS_OF, vertical=vertical)

    entry = run.entries.get()
    assert (entry.revenue, entry.orders) == (Decimal("70.00"), 1)
    assert run.parameters["weight_set_id"] == own.pk
    assert ranking_run_latest_published(kind=RankingKind.SELLERS) is None
    assert (
        ranking_run_latest_published(kind=RankingKind.SELLERS, vertical=vertical) == run
    )


def test_a_run_left_running_by_a_killed_process_is_marked_failed_later():
    sale(store=StoreFactory(name="S"), purchased_at=local(date(2026, 2, 1)))
    set_weights(revenue="1", min_orders=1)
    stale = RankingRun.objects.create(
        kind=RankingKind.SELLERS,
        as_of=AS_OF,
        window_days=90,
        status=RunStatus.RUNNING,
        started_at=timezone.now() - timedelta(hours=3),
    )
    recent = RankingRun.objects.create(
        kind=RankingKind.PRODUCTS,
        as_of=AS_OF,
        window_days=90,
        status=RunStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=5),
    )

    ranking_run_create(kind=RankingKind.SELLERS, as_of=AS_OF)

    stale.refresh_from_db()
    recent.refresh_from_db()
    assert stale.status == RunStatus.FAILED
    assert stale.error.startswith("Abandoned")
    assert recent.status == RunStatus.RUNNING
