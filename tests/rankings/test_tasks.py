from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from catalog.models import OrderStatus
from rankings.models import RankingKind, RankingRun, RunStatus
from rankings.report import run_report_text
from rankings.services import ranking_run_create
from rankings.tasks import ranking_nightly_task
from tests.catalog.factories import StoreFactory
from tests.rankings.factories import local, sale, set_weights

pytestmark = pytest.mark.django_db


@pytest.fixture
def recent_sales(settings):
    settings.RANKINGS_REPORT_RECIPIENTS = ["gerencia@example.com"]
    set_weights(revenue="1", min_orders=1)
    set_weights(RankingKind.PRODUCTS, revenue="1", min_orders=1)
    now = timezone.now()
    top = StoreFactory(source="olist", source_id="top-seller")
    runner_up = StoreFactory(source="olist", source_id="runner-up")
    sale(store=top, purchased_at=now - timedelta(days=40), prices=("500.00",))
    sale(store=runner_up, purchased_at=now - timedelta(days=40), prices=("100.00",))
    return top, runner_up


def test_nightly_task_publishes_every_kind_and_emails_the_winners(recent_sales):
    run_ids = ranking_nightly_task.delay().get()

    runs = RankingRun.objects.filter(pk__in=run_ids).order_by("kind")
    assert [(r.kind, r.as_of, r.status) for r in runs] == [
        ("products", timezone.localdate(), RunStatus.PUBLISHED),
        ("sellers", timezone.localdate(), RunStatus.PUBLISHED),
    ]
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["gerencia@example.com"]
    assert email.subject == f"DROPi rankings {timezone.localdate()}"
    assert "Winners (top 10):" in email.body
    winners = email.body.split("Winners (top 10):")[1].splitlines()
    assert winners[2].split()[:3] == ["1", "new", "top-seller"]
    assert winners[3].split()[:3] == ["2", "new", "runner-up"]


def test_nightly_task_twice_replaces_instead_of_duplicating(recent_sales):
    ranking_nightly_task.delay().get()

    ranking_nightly_task.delay().get()

    published = RankingRun.objects.filter(status=RunStatus.PUBLISHED)
    assert sorted(published.values_list("kind", flat=True)) == ["products", "sellers"]
    assert RankingRun.objects.filter(status=RunStatus.SUPERSEDED).count() == 2
    assert len(mail.outbox) == 2


def test_report_lists_movers_and_alerts_on_rising_cancellations(recent_sales):
    _top, runner_up = recent_sales
    yesterday = timezone.localdate() - timedelta(days=1)
    ranking_run_create(kind=RankingKind.SELLERS, as_of=yesterday)
    now = timezone.now()
    sale(store=runner_up, purchased_at=now - timedelta(hours=30), prices=("900.00",))
    sale(
        store=runner_up,
        purchased_at=now - timedelta(hours=30),
        status=OrderStatus.CANCELLED,
    )

    ranking_nightly_task.delay(as_of=str(timezone.localdate())).get()

    body = mail.outbox[0].body
    movers_up = body.split("Biggest movers up:")[1].splitlines()
    assert movers_up[2].split()[:3] == ["1", "+1", "runner-up"]
    movers_down = body.split("Biggest movers down:")[1].splitlines()
    assert movers_down[2].split()[:3] == ["2", "-1", "top-seller"]
    assert "#1 runner-up: cancellation rate rose from 0.0% to 33.3%" in body
    seller_run = RankingRun.objects.get(kind="sellers", as_of=timezone.localdate())
    assert seller_run.entries.get(rank=1).revenue == Decimal("1000.00")


def test_nightly_task_without_recipients_sends_nothing(recent_sales, settings):
    settings.RANKINGS_REPORT_RECIPIENTS = []

    ranking_nightly_task.delay().get()

    assert mail.outbox == []
    assert RankingRun.objects.filter(status=RunStatus.PUBLISHED).count() == 2


def test_report_alerts_when_a_top_seller_delivers_late():
    set_weights(revenue="1", min_orders=1)
    store = StoreFactory(source="olist", source_id="slow-seller")
    sale(store=store, purchased_at=local(date(2026, 1, 5)))
    sale(store=store, purchased_at=local(date(2026, 1, 6)))
    ranking_run_create(kind=RankingKind.SELLERS, as_of=date(2026, 2, 1))
    sale(store=store, purchased_at=local(date(2026, 2, 5)), late_days=3)
    sale(store=store, purchased_at=local(date(2026, 2, 6)), late_days=3)

    run = ranking_run_create(kind=RankingKind.SELLERS, as_of=date(2026, 3, 1))

    text = run_report_text(run)
    assert "#1 slow-seller: on-time deliveries fell from 100.0% to 50.0%" in text
    assert "cancellation rate rose" not in text
