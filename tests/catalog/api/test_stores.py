import pytest

from catalog import permissions as perms
from catalog.models import Store
from tests.api_tiers import client_for, make_customer, make_seller, permission
from tests.catalog.factories import StoreFactory

pytestmark = pytest.mark.django_db

URL = "/api/tiendas/"


def test_anonymous_lists_active_stores():
    store = StoreFactory(name="Abasto")
    StoreFactory(is_active=False)

    response = client_for(None).get(URL)

    assert [row["id"] for row in response.json()["results"]] == [store.pk]


def test_seller_opens_a_store_it_owns():
    seller = make_seller()

    response = client_for(seller).post(URL, {"name": "Nueva"}, format="json")

    assert response.status_code == 201
    assert Store.objects.get(pk=response.json()["id"]).owner == seller


def test_seller_edits_only_its_own_store():
    seller = make_seller()
    own = seller.stores.get()
    other = StoreFactory()
    client = client_for(seller)

    ok = client.patch(f"{URL}{own.pk}/", {"city": "Encarnación"}, format="json")
    refused = client.patch(f"{URL}{other.pk}/", {"city": "X"}, format="json")

    assert ok.status_code == 200
    assert ok.json()["city"] == "Encarnación"
    assert refused.status_code == 403


def test_customer_cannot_open_store():
    response = client_for(make_customer()).post(URL, {"name": "X"}, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_permission_granted_to_a_group_takes_effect():
    customer = make_customer()
    group = customer.groups.get()
    group.permissions.add(permission(perms.STORE_ADD))

    response = client_for(customer).post(URL, {"name": "Kiosco"}, format="json")

    assert response.status_code == 201
