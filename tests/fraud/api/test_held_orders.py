"""A held order cannot be shipped until staff approve its fraud case."""

import pytest

from accounts.models import User
from audit.models import AuditEvent
from catalog.models import Order, OrderStatus, StockLevel
from fraud.models import BlocklistKind, FraudCase
from fraud.services import blocklist_add
from tests.api_tiers import client_for, make_customer, make_seller, make_staff
from tests.catalog.factories import StockLevelFactory

pytestmark = pytest.mark.django_db

ORDERS = "/api/pedidos/"


@pytest.fixture
def seller():
    return make_seller()


@pytest.fixture
def level(seller):
    return StockLevelFactory(store=seller.stores.get(), quantity=4)


@pytest.fixture
def reviewer():
    return User.objects.create_superuser(email="revisora@example.com", password="x")


def _place_paid_order(level, phone):
    customer = make_customer()
    client = client_for(customer)
    body = {
        "items": [
            {"product": level.product.pk, "store": level.store.pk, "quantity": 2}
        ],
        "shipping_phone": phone,
    }
    order_id = client.post(ORDERS, body, format="json").json()["id"]
    paid = client_for(make_staff()).post(f"{ORDERS}{order_id}/pagar/")
    assert paid.status_code == 200
    return Order.objects.get(pk=order_id)


def test_a_held_order_ships_only_after_approval(level, seller, reviewer):
    blocklist_add(kind=BlocklistKind.PHONE, value="0981 222 333", reason="contracargo")
    order = _place_paid_order(level, "+595981222333")
    case = FraudCase.objects.get(order=order)

    refused = client_for(seller).post(f"{ORDERS}{order.pk}/enviar/")
    approved = client_for(reviewer).post(
        f"/api/fraude/casos/{case.pk}/aprobar/", {}, format="json"
    )
    shipped = client_for(seller).post(f"{ORDERS}{order.pk}/enviar/")

    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "order_held"
    assert approved.status_code == 200
    assert shipped.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    case.refresh_from_db()
    assert (case.status, case.decided_by) == ("approved", reviewer)


def test_an_unflagged_order_ships_without_a_case(level, seller):
    order = _place_paid_order(level, "0981 999 999")

    shipped = client_for(seller).post(f"{ORDERS}{order.pk}/enviar/")

    assert shipped.status_code == 200
    assert not FraudCase.objects.exists()


def test_rejecting_cancels_the_order_and_releases_its_stock(level, seller, reviewer):
    blocklist_add(kind=BlocklistKind.PHONE, value="0981222333", reason="contracargo")
    order = _place_paid_order(level, "0981222333")
    case = FraudCase.objects.get(order=order)

    rejected = client_for(reviewer).post(
        f"/api/fraude/casos/{case.pk}/rechazar/", {}, format="json"
    )
    shipped = client_for(seller).post(f"{ORDERS}{order.pk}/enviar/")

    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected"
    assert shipped.status_code == 400
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert StockLevel.objects.get(pk=level.pk).reserved == 0


def test_a_customer_cannot_approve_its_own_case(level):
    blocklist_add(kind=BlocklistKind.PHONE, value="0981222333", reason="x")
    order = _place_paid_order(level, "0981222333")
    case = FraudCase.objects.get(order=order)
    customer = order.customer.user

    answer = client_for(customer).post(
        f"/api/fraude/casos/{case.pk}/aprobar/", {}, format="json"
    )

    assert answer.status_code == 403
    case.refresh_from_db()
    assert case.status == "open"


def test_staff_approve_cases_in_bulk_from_the_admin(client, level, reviewer):
    blocklist_add(kind=BlocklistKind.PHONE, value="0981222333", reason="x")
    orders = [_place_paid_order(level, "0981222333") for _ in range(2)]
    cases = list(FraudCase.objects.filter(order__in=orders))
    client.force_login(reviewer, backend="django.contrib.auth.backends.ModelBackend")

    response = client.post(
        "/admin/fraud/fraudcase/",
        {"action": "approve_selected", "_selected_action": [case.pk for case in cases]},
    )

    assert response.status_code == 302
    assert set(FraudCase.objects.values_list("status", flat=True)) == {"approved"}
    assert AuditEvent.objects.filter(action="fraud.case_approve").count() == 2
    assert not AuditEvent.objects.filter(action="admin.change").exists()
