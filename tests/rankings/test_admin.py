from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from rankings.models import (
    RankingEntry,
    RankingKind,
    RankingRun,
    RankingWeightSet,
    RunStatus,
)
from rankings.services import ranking_run_create
from tests.catalog.factories import StoreFactory
from tests.rankings.factories import AS_OF, local, sale, set_weights

pytestmark = pytest.mark.django_db

ENTRIES_URL = reverse("admin:rankings_rankingentry_changelist")
RUNS_URL = reverse("admin:rankings_rankingrun_changelist")


@pytest.fixture
def admin_client(client):
    client.force_login(
        User.objects.create_superuser(email="jefa@example.com", password="S3guro!pass")
    )
    return client


@pytest.fixture
def big_run():
    """A published run with 150 entries, built directly."""
    run = RankingRun.objects.create(
        kind=RankingKind.SELLERS,
        as_of=AS_OF,
        window_days=90,
        status=RunStatus.PUBLISHED,
        started_at=timezone.now(),
        entry_count=150,
    )
    zero = Decimal("0")
    RankingEntry.objects.bulk_create(
        RankingEntry(
            run=run,
            store=store,
            entity_source_id=f"seller-{rank:03d}",
            rank=rank,
            score=Decimal(1) / rank,
            revenue=Decimal(1000 - rank),
            orders=5,
            cancelled_orders=0,
            units=5,
            review_count=1,
            rating=Decimal("4"),
            delivered_orders=5,
            on_time_orders=5,
            on_time_rate=Decimal("1"),
            cancellation_rate=zero,
            revenue_norm=zero,
            orders_norm=zero,
            units_norm=zero,
            rating_norm=zero,
            on_time_norm=zero,
            cancellation_norm=zero,
        )
        for rank, store in enumerate(StoreFactory.create_batch(150), start=1)
    )
    return run


def test_run_list_links_to_its_entries(admin_client, big_run):
    response = admin_client.get(RUNS_URL)

    assert response.status_code == 200
    assert f"{ENTRIES_URL}?run__id__exact={big_run.pk}" in response.text
    assert ">150</a>" in response.text


def test_run_page_previews_the_top_entries_only(admin_client, big_run):
    url = reverse("admin:rankings_rankingrun_change", args=[big_run.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    assert "<td>seller-020</td>" in response.text
    assert "<td>seller-021</td>" not in response.text


def test_entries_of_a_run_are_paginated(admin_client, big_run):
    response = admin_client.get(ENTRIES_URL, {"run__id__exact": big_run.pk})

    changelist = response.context["cl"]
    assert changelist.result_count == 150
    assert [e.rank for e in changelist.result_list][:3] == [1, 2, 3]
    assert len(changelist.result_list) == 100


def test_entries_are_searchable_by_source_id(admin_client, big_run):
    response = admin_client.get(ENTRIES_URL, {"q": "seller-042"})

    assert [e.rank for e in response.context["cl"].result_list] == [42]


def test_recompute_now_publishes_a_fresh_run(admin_client):
    set_weights(revenue="1", min_orders=1)
    sale(store=StoreFactory(), purchased_at=local(date(2026, 2, 1)))
    old = ranking_run_create(kind=RankingKind.SELLERS, as_of=AS_OF)

    response = admin_client.post(
        RUNS_URL,
        {"action": "recompute_now", "_selected_action": [old.pk]},
        follow=True,
    )

    old.refresh_from_db()
    fresh = RankingRun.objects.get(status=RunStatus.PUBLISHED)
    assert old.status == RunStatus.SUPERSEDED
    assert (fresh.kind, fresh.as_of, fresh.entry_count) == ("sellers", AS_OF, 1)
    assert f"published run {fresh.pk} with 1 entries" in response.text


def test_recompute_needs_its_permission(client, big_run):
    viewer = User.objects.create_user(
        email="analista@example.com", password="S3guro!pass", is_staff=True
    )
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_rankingrun"),
    )
    client.force_login(viewer)

    response = client.get(RUNS_URL)

    assert response.status_code == 200
    assert "recompute_now" not in response.text


def _weight_form(kind: str, min_orders: str = "1", **weights: str) -> dict:
    names = ("revenue", "orders", "units", "rating", "on_time", "cancellation")
    return {
        "kind": kind,
        "vertical": "",
        **{f"weight_{n}": weights.get(n, "1" if n != "units" else "0") for n in names},
        "min_orders": min_orders,
        "rating_prior_strength": "10",
        "on_time_prior_strength": "5",
    }


def test_weight_sets_are_editable(admin_client):
    weight_set = RankingWeightSet.objects.get(kind="sellers", vertical=None)
    url = reverse("admin:rankings_rankingweightset_change", args=[weight_set.pk])
    form = _weight_form("sellers", revenue="2", orders="0", rating="3", min_orders="7")

    response = admin_client.post(url, form)

    assert response.status_code == 302
    weight_set.refresh_from_db()
    assert (weight_set.weight_rating, weight_set.min_orders) == (Decimal("3"), 7)


def test_weight_set_with_every_weight_zero_is_refused(admin_client):
    weight_set = RankingWeightSet.objects.get(kind="products", vertical=None)
    url = reverse("admin:rankings_rankingweightset_change", args=[weight_set.pk])
    form = _weight_form(
        "products", revenue="0", orders="0", rating="0", on_time="0", cancellation="0"
    )

    response = admin_client.post(url, form)

    assert response.status_code == 200
    assert "Al menos un peso debe ser mayor que 0." in response.text
    weight_set.refresh_from_db()
    assert weight_set.weight_revenue == Decimal("2")
