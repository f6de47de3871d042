from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Tier
from rankings.models import RankingKind, RunStatus
from tests.api_tiers import client_for, make_customer, make_seller, make_user
from tests.catalog.factories import ProductFactory, StoreFactory
from tests.rankings.api.runs import published_run

pytestmark = pytest.mark.django_db

SELLERS = "/api/rankings/vendedores/"
PRODUCTS = "/api/rankings/productos/"


def _ranks(response):
    return [(row["entity_id"], row["rank"]) for row in response.json()["results"]]


def test_latest_published_run_is_listed():
    first, second = StoreFactory(), StoreFactory()
    published_run(date(2024, 1, 1), [first, second])
    latest = published_run(date(2024, 2, 1), [second, first])
    published_run(date(2024, 3, 1), [first], status=RunStatus.FAILED)

    response = client_for(make_customer()).get(SELLERS)

    assert response.status_code == 200
    assert _ranks(response) == [(second.pk, 1), (first.pk, 2)]
    assert response.json()["results"][0]["run"] == latest.pk
    assert response.json()["results"][0]["entity_name"] == second.name


def test_as_of_picks_latest_run_on_or_before_the_day():
    store = StoreFactory()
    older = published_run(date(2024, 1, 1), [store])
    published_run(date(2024, 2, 1), [store])

    response = client_for(make_customer()).get(SELLERS, {"as_of": "2024-01-31"})

    assert response.json()["results"][0]["run"] == older.pk


@pytest.mark.parametrize("bad", ["2024-13-01", "yesterday", "01/02/2024", "2024-1-1x"])
def test_bad_as_of_is_400(bad):
    response = client_for(make_customer()).get(SELLERS, {"as_of": bad})

    assert response.status_code == 400
    assert "as_of" in response.json()["error"]["fields"]


def test_no_published_run_is_404():
    response = client_for(make_customer()).get(PRODUCTS)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "no_run"


def test_product_ranking_lists_products():
    product = ProductFactory()
    published_run(date(2024, 1, 1), [product], kind=RankingKind.PRODUCTS)

    response = client_for(make_customer()).get(PRODUCTS)

    assert _ranks(response) == [(product.pk, 1)]


def test_anonymous_cannot_read_rankings():
    assert client_for(None).get(SELLERS).status_code == 401


def test_seller_reads_own_store_history_newest_first():
    seller = make_seller()
    store, rival = seller.stores.get(), StoreFactory()
    published_run(date(2024, 1, 1), [store, rival])
    published_run(date(2024, 2, 1), [rival, store])

    response = client_for(seller).get(f"{SELLERS}{store.pk}/historial/")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["as_of"], row["rank"]) for row in rows] == [
        ("2024-02-01", 2),
        ("2024-01-01", 1),
    ]


def test_history_of_someone_elses_store_needs_the_permission():
    rival = StoreFactory()
    published_run(date(2024, 1, 1), [rival])

    refused = client_for(make_seller()).get(f"{SELLERS}{rival.pk}/historial/")
    premium = client_for(make_user(Tier.PREMIUM, is_staff=False))
    allowed = premium.get(f"{SELLERS}{rival.pk}/historial/")

    assert refused.status_code == 403
    assert allowed.status_code == 200
    assert len(allowed.json()["results"]) == 1


@pytest.mark.parametrize("bad", ["abc", "99999999999999999999999", "-1"])
def test_malformed_history_id_is_client_error(bad):
    premium = client_for(make_user(Tier.PREMIUM, is_staff=False))

    response = premium.get(f"{SELLERS}{bad}/historial/")

    assert response.status_code in (400, 404)
    assert response.json()["error"]["code"]


def test_list_query_count_does_not_grow_with_page_size():
    published_run(date(2024, 1, 1), StoreFactory.create_batch(105))
    client = client_for(make_customer())

    counts = []
    for size in (5, 100):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(SELLERS, {"page_size": size})
        assert len(response.json()["results"]) == size
        counts.append(len(captured))

    assert counts[0] == counts[1]
