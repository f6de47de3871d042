from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Tier
from catalog import permissions as perms
from catalog.models import Offer, PriceChange, Product
from tests.api_tiers import (
    client_for,
    make_customer,
    make_seller,
    make_staff,
    permission,
    tier_group,
)
from tests.catalog.factories import (
    OrderItemFactory,
    ProductFactory,
    ReviewFactory,
    StockLevelFactory,
    StoreFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/productos/"


def _review(product, score):
    item = OrderItemFactory(product=product)
    return ReviewFactory(order=item.order, product=product, score=score)


def _ids(response):
    return [row["id"] for row in response.json()["results"]]


def test_anonymous_lists_active_products_with_figures():
    level = StockLevelFactory(quantity=7, product__price=Decimal("150.00"))
    ProductFactory(is_active=False)
    _review(level.product, 4)
    _review(level.product, 5)

    response = client_for(None).get(URL)

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == level.product.pk
    assert row["price"] == "150.00"
    assert row["rating"] == "4.50"
    assert row["reviews_count"] == 2
    assert row["stock_available"] == 7
    assert row["stores"] == [
        {"store": level.store.pk, "store_name": level.store.name, "available": 7}
    ]


def test_filters_by_store_category_price_and_stock():
    cheap = StockLevelFactory(quantity=3, product__price=Decimal("10.00"))
    dear = StockLevelFactory(quantity=0, product__price=Decimal("900.00"))
    client = client_for(None)

    assert _ids(client.get(URL, {"store": cheap.store.pk})) == [cheap.product.pk]
    assert _ids(client.get(URL, {"category": dear.product.category_id})) == [
        dear.product.pk
    ]
    assert _ids(client.get(URL, {"price_min": "100", "price_max": "1000"})) == [
        dear.product.pk
    ]
    assert _ids(client.get(URL, {"in_stock": "true"})) == [cheap.product.pk]
    assert _ids(client.get(URL, {"in_stock": "false"})) == [dear.product.pk]


def test_min_rating_search_and_ordering():
    good = ProductFactory(name="Mate de calabaza", price=Decimal("5"))
    bad = ProductFactory(name="Termo", price=Decimal("50"))
    _review(good, 5)
    _review(bad, 2)
    client = client_for(None)

    assert _ids(client.get(URL, {"min_rating": "4"})) == [good.pk]
    assert _ids(client.get(URL, {"search": "calabaza"})) == [good.pk]
    assert _ids(client.get(URL, {"search": bad.sku.lower()})) == [bad.pk]
    assert _ids(client.get(URL, {"ordering": "-price"})) == [bad.pk, good.pk]
    assert _ids(client.get(URL, {"ordering": "rating"})) == [bad.pk, good.pk]


def test_price_history_and_current_offer():
    product = ProductFactory()
    PriceChange.objects.create(
        product=product, old_price=Decimal("120"), new_price=Decimal("100")
    )
    now = timezone.now()
    offer = Offer.objects.create(
        product=product,
        price=Decimal("90"),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
    )
    client = client_for(None)

    history = client.get(f"{URL}{product.pk}/precios/").json()
    current = client.get(f"{URL}{product.pk}/oferta/").json()

    assert [row["new_price"] for row in history["results"]] == ["100.00"]
    assert current["id"] == offer.pk
    assert client.get(URL).json()["results"][0]["offer_price"] == "90.00"


def test_no_offer_is_404_with_code():
    product = ProductFactory()

    response = client_for(None).get(f"{URL}{product.pk}/oferta/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "no_offer"


def _new_product(store):
    return {
        "store": store.pk,
        "sku": "NEW-1",
        "name": "Chipa",
        "price": "25.00",
        "quantity": 3,
    }


def test_seller_creates_product_in_own_store():
    seller = make_seller()
    store = seller.stores.get()

    response = client_for(seller).post(URL, _new_product(store), format="json")

    assert response.status_code == 201
    product = Product.objects.get(sku="NEW-1")
    assert product.stocklevel_set.get().store == store
    assert response.json()["price"] == "25.00"


def test_seller_cannot_create_in_someone_elses_store():
    seller = make_seller()

    response = client_for(seller).post(URL, _new_product(StoreFactory()), format="json")

    assert response.status_code == 403
    assert not Product.objects.filter(sku="NEW-1").exists()


def test_permission_removed_from_group_takes_effect():
    seller = make_seller()
    tier_group(Tier.SELLER).permissions.remove(permission(perms.PRODUCT_ADD))
    store = seller.stores.get()

    response = client_for(seller).post(URL, _new_product(store), format="json")

    assert response.status_code == 403


def test_seller_changes_price_of_own_product_within_rules():
    seller = make_seller()
    level = StockLevelFactory(
        store=seller.stores.get(),
        product__price=Decimal("100.00"),
        product__price_floor=Decimal("90.00"),
    )
    client = client_for(seller)
    url = f"{URL}{level.product.pk}/precios/"

    ok = client.post(url, {"price": "95.00"}, format="json")
    refused = client.post(url, {"price": "80.00"}, format="json")

    assert ok.status_code == 201
    assert ok.json()["old_price"] == "100.00"
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "price_below_floor"
    level.product.refresh_from_db()
    assert level.product.price == Decimal("95.00")


def test_seller_cannot_edit_product_of_another_store():
    seller = make_seller()
    product = StockLevelFactory().product

    response = client_for(seller).patch(
        f"{URL}{product.pk}/", {"name": "Mío"}, format="json"
    )

    assert response.status_code == 403


def test_staff_edits_any_product():
    product = ProductFactory()

    response = client_for(make_staff()).patch(
        f"{URL}{product.pk}/", {"name": "Renombrado"}, format="json"
    )

    assert response.status_code == 200
    product.refresh_from_db()
    assert product.name == "Renombrado"


def test_customer_cannot_create_products():
    response = client_for(make_customer()).post(
        URL, _new_product(StoreFactory()), format="json"
    )

    assert response.status_code == 403


def test_product_never_stocked_shows_zero_available(api_client):
    item = OrderItemFactory()

    response = api_client.get(f"{URL}{item.product.pk}/")

    assert response.status_code == 200
    assert response.json()["stock_available"] == 0


def test_order_level_reviews_count_for_the_products_of_the_order():
    item = OrderItemFactory()
    ReviewFactory(order=item.order, product=None, score=3)

    row = client_for(None).get(f"{URL}{item.product.pk}/").json()
    reviews = client_for(None).get("/api/resenas/", {"product": item.product.pk})

    assert (row["rating"], row["reviews_count"]) == ("3.00", 1)
    assert reviews.json()["count"] == 1


@pytest.mark.parametrize(
    "body",
    [{"max_discount_percent": "100"}, {"price_floor": "1.00"}, {"price_floor": None}],
)
def test_seller_cannot_change_price_controls(body):
    seller = make_seller()
    level = StockLevelFactory(
        store=seller.stores.get(),
        product__price=Decimal("100.00"),
        product__price_floor=Decimal("90.00"),
    )

    response = client_for(seller).patch(
        f"{URL}{level.product.pk}/", body, format="json"
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "price_controls_staff_only"
    level.product.refresh_from_db()
    assert level.product.price_floor == Decimal("90.00")
    assert level.product.max_discount_percent == Decimal("50.00")


def test_seller_cannot_create_a_product_with_price_controls():
    seller = make_seller()
    body = {**_new_product(seller.stores.get()), "max_discount_percent": "100"}

    response = client_for(seller).post(URL, body, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "price_controls_staff_only"
    assert not Product.objects.filter(sku="NEW-1").exists()


def test_staff_sets_price_controls_but_not_a_floor_above_the_price():
    product = ProductFactory(price=Decimal("100.00"))
    client = client_for(make_staff())
    url = f"{URL}{product.pk}/"

    above = client.patch(url, {"price_floor": "100.01"}, format="json")
    ok = client.patch(
        url, {"price_floor": "80.00", "max_discount_percent": "15"}, format="json"
    )

    assert above.status_code == 400
    assert above.json()["error"]["code"] == "price_floor_above_price"
    assert ok.status_code == 200
    product.refresh_from_db()
    assert product.price_floor == Decimal("80.00")
    assert product.max_discount_percent == Decimal("15.00")


def test_rating_ordering_and_filter_read_the_stored_summary():
    high = ProductFactory(name="Alto")
    low = ProductFactory(name="Bajo")
    unrated = ProductFactory(name="Cero")
    Product.objects.filter(pk=high.pk).update(rating_sum=9, reviews_count=2)
    Product.objects.filter(pk=low.pk).update(rating_sum=13, reviews_count=3)
    client = client_for(None)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, {"ordering": "-rating", "min_rating": "1"})

    assert [
        (r["id"], r["rating"], r["reviews_count"]) for r in response.json()["results"]
    ] == [(high.pk, "4.50", 2), (low.pk, "4.33", 3)]
    assert not any("catalog_review" in query["sql"] for query in captured)
    assert _ids(client.get(URL, {"ordering": "-rating"}))[0] == unrated.pk
    assert _ids(client.get(URL, {"min_rating": "4.4"})) == [high.pk]
