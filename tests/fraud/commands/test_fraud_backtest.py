import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import User
from catalog.models import Vertical
from fraud.models import FraudCase
from tests.crm.factories import CustomerFactory
from tests.fraud.factories import order_with_total

pytestmark = pytest.mark.django_db


def _history():
    now = timezone.now()
    fast = CustomerFactory()
    for minutes in (30, 20, 10):
        order_with_total(
            total=Decimal("10"),
            customer=fast,
            purchased_at=now - timedelta(days=2, minutes=minutes),
        )
    user = User.objects.create_user(
        email="nueva@example.com", password="x", date_joined=now - timedelta(days=40)
    )
    order_with_total(
        total=Decimal("5000000"),
        customer=CustomerFactory(user=user),
        purchased_at=now - timedelta(days=38),
    )


def _run(*args):
    out = io.StringIO()
    call_command("fraud_backtest", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_backtest_counts_what_each_rule_would_flag():
    _history()

    result = _run()

    flagged = {row["rule"]: row["flagged"] for row in result["rules"]}
    assert result["orders"] == 4
    assert flagged == {
        "amount_above_usual": 0,
        "cod_refusals": 0,
        "new_account_large_first_order": 1,
        "order_velocity": 1,
        "shared_destination": 0,
    }
    assert result["held"] == 0
    assert not FraudCase.objects.exists()


def test_backtest_respects_the_date_range():
    _history()
    since = (timezone.now() - timedelta(days=3)).date().isoformat()

    result = _run("--since", since)

    assert result["orders"] == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "ayer"], "Not a date"),
        (["--since", "2025-02-01", "--until", "2025-01-01"], "after"),
        (["--vertical", "no-existe"], "Unknown vertical"),
        (["--limit", "0"], "1 or more"),
    ],
)
def test_backtest_refuses_bad_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("fraud_backtest", *args, stdout=io.StringIO())


def test_backtest_admin_view_shows_the_counts(client):
    _history()
    Vertical.objects.create(name="Moda", slug="moda")
    admin = User.objects.create_superuser(email="jefa@example.com", password="x")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")

    page = client.get("/admin/fraud/orderriskrule/backtest/", {"limit": "100"})

    assert page.status_code == 200
    assert page.context["result"].orders == 4
    assert b"Pedidos marcados" in page.content


def test_backtest_admin_view_accepts_the_last_representable_day(client):
    _history()
    admin = User.objects.create_superuser(email="jefa@example.com", password="x")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")

    page = client.get(
        "/admin/fraud/orderriskrule/backtest/",
        {"since": "9999-12-31", "until": "9999-12-31"},
    )

    assert page.status_code == 200
    assert page.context["result"].orders == 0


def test_backtest_admin_view_caps_the_orders_it_scores_in_a_request(client):
    admin = User.objects.create_superuser(email="jefa@example.com", password="x")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")

    page = client.get("/admin/fraud/orderriskrule/backtest/", {"limit": "100000"})

    assert page.status_code == 200
    assert page.context.get("result") is None
    assert page.context["form"].errors["limit"]
