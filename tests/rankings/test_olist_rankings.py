import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from rankings.models import RankingRun, RunStatus
from tests.conftest import olist_dir_or_skip
from tests.rankings.factories import command_output

pytestmark = [pytest.mark.olist, pytest.mark.slow, pytest.mark.django_db]

AS_OF = "2018-05-01"


@pytest.fixture
def olist_imported():
    directory = olist_dir_or_skip(settings.DROPI_OLIST_DIR)
    call_command("import_olist", directory, stdout=StringIO())


def test_sellers_ranking_on_the_olist_data(olist_imported):
    command_output("compute_rankings", "--kind", "sellers", "--as-of", AS_OF)

    top = json.loads(
        command_output("rankings_report", "--kind", "sellers", "--format", "json")
    )
    run = RankingRun.objects.get(kind="sellers", status=RunStatus.PUBLISHED)
    entries = list(run.entries.all())
    prior = Decimal(run.parameters["rating_prior_mean"])
    # Shape of the top 10: Olist seller ids, ranks in order, falling scores.
    assert [row["rank"] for row in top] == list(range(1, 11))
    assert all(re.fullmatch(r"[0-9a-f]{32}", row["entity_id"]) for row in top)
    scores = [Decimal(row["score"]) for row in top]
    assert scores == sorted(scores, reverse=True)
    assert all(row["orders"] >= run.parameters["min_orders"] for row in top)
    assert all(len(row["normalised"]) == 6 for row in top)
    # Every Bayesian rating lies between the window mean and the raw mean.
    for entry in entries:
        if entry.review_count:
            low, high = sorted([prior, entry.review_mean])
            assert low - Decimal("0.0001") <= entry.rating <= high + Decimal("0.0001")
    # Three 5-star reviews never beat twenty-odd reviews averaging 4.4+.
    few_perfect = [e for e in entries if e.review_count <= 3 and e.review_mean == 5]
    many_good = [e for e in entries if e.review_count >= 20 and e.review_mean >= 4.4]
    assert few_perfect
    assert many_good
    assert max(e.rating for e in few_perfect) < min(e.rating for e in many_good)
