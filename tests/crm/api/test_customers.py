import pytest

from crm import permissions as perms
from tests.api_tiers import client_for, make_staff, permission
from tests.catalog.factories import OrderFactory
from tests.crm.factories import CustomerFactory

pytestmark = pytest.mark.django_db

URL = "/api/crm/clientes/"


def test_staff_lists_customers_with_order_counts():
    customer = CustomerFactory(name="Lucía Benítez")
    OrderFactory.create_batch(2, customer=customer)

    response = client_for(make_staff()).get(URL, {"search": "lucía"})

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == str(customer.pk)
    assert row["orders_count"] == 2


def test_staff_retrieves_one_customer():
    customer = CustomerFactory()

    response = client_for(make_staff()).get(f"{URL}{customer.pk}/")

    assert response.json()["email"] == customer.email


def test_staff_without_the_permission_is_refused():
    staff = make_staff()
    for group in staff.groups.all():
        group.permissions.remove(permission(perms.CUSTOMER_VIEW))

    response = client_for(staff).get(URL)

    assert response.status_code == 403
