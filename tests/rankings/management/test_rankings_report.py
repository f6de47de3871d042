import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError

from rankings.models import RankingKind
from rankings.services import ranking_run_create
from tests.catalog.factories import StoreFactory
from tests.rankings.factories import AS_OF, command_output, local, sale, set_weights

pytestmark = pytest.mark.django_db


def _report(*args: str) -> str:
    return command_output("rankings_report", *args)


@pytest.fixture
def ranked():
    set_weights(revenue="1", min_orders=1)
    big = StoreFactory(source="olist", source_id="big-seller")
    small = StoreFactory()
    sale(store=big, purchased_at=local(date(2026, 2, 1)), prices=("90.00",), review=4)
    sale(store=small, purchased_at=local(date(2026, 2, 1)), prices=("10.00",))
    ranking_run_create(kind=RankingKind.SELLERS, as_of=date(2026, 2, 15))
    run = ranking_run_create(kind=RankingKind.SELLERS, as_of=AS_OF)
    return run, big, small


def test_json_lists_rank_entity_score_and_components(ranked):
    _run, _big, small = ranked

    rows = json.loads(_report("--kind", "sellers", "--format", "json"))

    assert [row["rank"] for row in rows] == [1, 2]
    first, second = rows
    assert first["entity_id"] == "big-seller"
    assert second["entity_id"] == str(small.pk)
    assert first["score"] == "1.000000"
    assert first["revenue"] == "90.00"
    assert (first["orders"], first["units"], first["review_count"]) == (1, 1, 1)
    assert first["movement"] == 0
    assert first["cancellation_rate"] == "0.000000"
    assert set(first["normalised"]) == {
        "revenue",
        "orders",
        "units",
        "rating",
        "on_time",
        "cancellation",
    }
    assert Decimal(first["rating"]) == Decimal("4.0000")


def test_top_limits_the_rows(ranked):
    rows = json.loads(_report("--kind", "sellers", "--format", "json", "--top", "1"))

    assert len(rows) == 1


def test_as_of_picks_that_run(ranked):
    rows = json.loads(
        _report("--kind", "sellers", "--format", "json", "--as-of", "2026-02-15")
    )

    assert [row["movement"] for row in rows] == [None, None]


def test_table_has_a_heading_and_one_line_per_entry(ranked):
    output = _report("--kind", "sellers")

    lines = output.strip().splitlines()
    assert lines[0].startswith("Vendedores ranking as of 2026-03-01 (90 days")
    assert lines[1].split()[:4] == ["Rank", "Move", "Entity", "Score"]
    assert lines[2].split()[:4] == ["1", "=", "big-seller", "1.0000"]
    assert len(lines) == 4


def test_says_when_no_run_is_published():
    with pytest.raises(CommandError, match="No published products ranking"):
        _report("--kind", "products")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--kind", "buyers"), "--kind 'buyers' is not one of"),
        (
            ("--kind", "sellers", "--format", "xml"),
            "--format 'xml' is not table or json",
        ),
        (("--kind", "sellers", "--top", "0"), "--top must be at least 1"),
        (("--kind", "sellers", "--as-of", "01/03/2026"), "is not a date"),
    ],
)
def test_rejects_bad_options(args, message):
    with pytest.raises(CommandError, match=message):
        _report(*args)
