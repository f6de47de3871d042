from decimal import Decimal

import pytest

from tests.api_tiers import client_for, make_seller, make_staff
from tests.catalog.factories import StockLevelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def refused_price_change():
    seller = make_seller()
    level = StockLevelFactory(
        store=seller.stores.get(),
        product__price=Decimal("100"),
        product__price_floor=Decimal("90"),
    )
    client = client_for(seller)
    url = f"/api/productos/{level.product.pk}/precios/"

    def post(language):
        return client.post(
            url, {"price": "1"}, format="json", HTTP_ACCEPT_LANGUAGE=language
        )

    return post


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("es", "El precio está por debajo del precio mínimo del producto."),
        ("en", "The price is below the product's price floor."),
        ("en-US,en;q=0.9", "The price is below the product's price floor."),
        ("de", "El precio está por debajo del precio mínimo del producto."),
    ],
)
def test_business_error_follows_accept_language(
    refused_price_change, language, message
):
    response = refused_price_change(language)

    assert response.status_code == 400
    assert response.json()["error"]["message"] == message
    assert response.json()["error"]["code"] == "price_below_floor"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("es", "Las credenciales de autenticación no se proveyeron."),
        ("en", "Authentication credentials were not provided."),
    ],
)
def test_framework_error_follows_accept_language(api_client, language, message):
    response = api_client.get("/api/pedidos/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 401
    assert response.json()["error"]["message"] == message


def test_validation_error_message_in_english(api_client):
    response = api_client.get(
        "/api/productos/", {"price_min": "x"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.json()["error"]["message"] == "The submitted data is not valid."
    assert response.json()["error"]["fields"]["price_min"] == ["Enter a number."]


def test_price_control_refusals_are_translated():
    seller = make_seller()
    product = StockLevelFactory(
        store=seller.stores.get(), product__price=Decimal("100")
    ).product
    url = f"/api/productos/{product.pk}/"

    def patch(user, body):
        return client_for(user).patch(
            url, body, format="json", HTTP_ACCEPT_LANGUAGE="en"
        )

    by_seller = patch(seller, {"price_floor": "1"})
    floor_above = patch(make_staff(), {"price_floor": "200"})

    assert by_seller.json()["error"]["message"] == (
        "Only staff set the price floor and the maximum discount."
    )
    assert floor_above.json()["error"]["message"] == (
        "The price floor cannot be above the current price."
    )
