import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.settings import api_settings

from tests.api_tiers import client_for, make_customer

pytestmark = pytest.mark.django_db


def _rates(**rates):
    merged = {**api_settings.DEFAULT_THROTTLE_RATES, **rates}
    return override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": merged,
        }
    )


def test_anonymous_address_is_throttled_with_429_shape():
    client = client_for(None)

    with _rates(anon="3/min"):
        codes = [client.get("/api/productos/").status_code for _ in range(4)]
        last = client.get("/api/productos/")

    assert codes == [200, 200, 200, 429]
    assert last.json()["error"]["code"] == "throttled"
    assert last.json()["error"]["retry_after_seconds"] > 0


def test_addresses_are_counted_separately():
    client = client_for(None)

    with _rates(anon="1/min"):
        first = client.get("/api/productos/", REMOTE_ADDR="10.0.0.1")
        other = client.get("/api/productos/", REMOTE_ADDR="10.0.0.2")
        again = client.get("/api/productos/", REMOTE_ADDR="10.0.0.1")

    assert (first.status_code, other.status_code, again.status_code) == (200, 200, 429)


def test_signed_in_user_has_its_own_limit():
    one, two = client_for(make_customer()), client_for(make_customer())

    with _rates(user="2/min", anon="1/min"):
        codes = [one.get("/api/pedidos/").status_code for _ in range(3)]
        other = two.get("/api/pedidos/").status_code

    assert codes == [200, 200, 429]
    assert other == 200
