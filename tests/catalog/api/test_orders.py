import pytest

from accounts.models import User
from catalog import permissions as perms
from catalog.models import Order, OrderStatus, StockLevel, StockMovement
from catalog.services import order_pay, order_ship
from tests.api_tiers import (
    client_for,
    make_customer,
    make_seller,
    make_staff,
    permission,
)
from tests.catalog.factories import OrderItemFactory, StockLevelFactory
from tests.crm.factories import CustomerFactory

pytestmark = pytest.mark.django_db

URL = "/api/pedidos/"


@pytest.fixture
def seller():
    return make_seller()


@pytest.fixture
def level(seller):
    return StockLevelFactory(store=seller.stores.get(), quantity=4)


def _place(client, level, quantity=2):
    body = {
        "items": [
            {"product": level.product.pk, "store": level.store.pk, "quantity": quantity}
        ],
        "shipping_city": "Luque",
    }
    return client.post(URL, body, format="json")


def test_customer_places_order_and_stock_is_reserved(level):
    customer = make_customer()

    response = _place(client_for(customer), level)

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "placed"
    assert body["total"] == "200.00"
    assert Order.objects.get().customer.user == customer
    assert StockLevel.objects.get(pk=level.pk).reserved == 2


def test_order_beyond_stock_is_400_and_writes_nothing(level):
    response = _place(client_for(make_customer()), level, quantity=5)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "insufficient_stock"
    assert not Order.objects.exists()


def test_each_user_sees_only_its_orders(level, seller):
    mine = make_customer()
    other = make_customer()
    _place(client_for(mine), level, quantity=1)
    _place(client_for(other), level, quantity=1)
    OrderItemFactory()

    def ids(user):
        return len(client_for(user).get(URL).json()["results"])

    assert ids(mine) == 1
    assert ids(other) == 1
    assert ids(seller) == 2
    assert ids(make_staff()) == 3


def test_other_customers_order_is_404():
    order = OrderItemFactory().order

    response = client_for(make_customer()).get(f"{URL}{order.pk}/")

    assert response.status_code == 404


def test_lifecycle_through_the_api(level, seller):
    customer = make_customer()
    order_id = _place(client_for(customer), level).json()["id"]

    paid = client_for(make_staff()).post(f"{URL}{order_id}/pagar/")
    customer_ships = client_for(customer).post(f"{URL}{order_id}/enviar/")
    shipped = client_for(seller).post(f"{URL}{order_id}/enviar/")
    delivered = client_for(seller).post(f"{URL}{order_id}/entregar/")

    assert paid.status_code == 200
    assert customer_ships.status_code == 403
    assert shipped.json()["status"] == "shipped"
    assert delivered.json()["status"] == "delivered"
    level.refresh_from_db()
    assert (level.quantity, level.reserved) == (2, 0)


def test_illegal_transition_is_400_with_code(level):
    customer = make_customer()
    order_id = _place(client_for(customer), level).json()["id"]
    client_for(customer).post(f"{URL}{order_id}/cancelar/")

    response = client_for(customer).post(f"{URL}{order_id}/cancelar/")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_transition"


def test_a_customer_cannot_record_its_own_return(level):
    customer = make_customer()
    order_id = _place(client_for(customer), level).json()["id"]

    response = client_for(customer).post(f"{URL}{order_id}/devolver/")

    assert response.status_code == 403


def test_cancel_releases_reservation(level):
    customer = make_customer()
    order_id = _place(client_for(customer), level).json()["id"]

    response = client_for(customer).post(f"{URL}{order_id}/cancelar/")

    assert response.json()["status"] == OrderStatus.CANCELLED
    assert StockLevel.objects.get(pk=level.pk).reserved == 0


def test_held_order_cannot_be_shipped(level, seller, monkeypatch):
    customer = make_customer()
    order_id = _place(client_for(customer), level).json()["id"]
    client_for(make_staff()).post(f"{URL}{order_id}/pagar/")
    monkeypatch.setattr("catalog.services.order_is_held", lambda order: True)

    response = client_for(seller).post(f"{URL}{order_id}/enviar/")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "order_held"


def test_seller_sees_only_its_lines_of_a_mixed_order(level, seller):
    customer = make_customer()
    mixed = OrderItemFactory(order__customer=CustomerFactory(user=None)).order
    OrderItemFactory(order=mixed, store=level.store, product=level.product)
    assert customer

    [row] = client_for(seller).get(URL).json()["results"]

    assert row["id"] == mixed.pk
    assert [item["store"] for item in row["items"]] == [level.store.pk]


def test_without_view_order_permission_no_order_is_listed(level):
    customer = make_customer()
    _place(client_for(customer), level)
    for group in customer.groups.all():
        group.permissions.remove(permission(perms.ORDER_VIEW))

    response = client_for(User.objects.get(pk=customer.pk)).get(URL)

    assert response.status_code == 403


def _place_mixed(customer, first, second):
    body = {
        "items": [
            {"product": level.product.pk, "store": level.store.pk, "quantity": 1}
            for level in (first, second)
        ]
    }
    order_id = client_for(customer).post(URL, body, format="json").json()["id"]
    order = Order.objects.get(pk=order_id)
    order_pay(order=order, actor=make_staff())
    return order


def test_seller_cannot_ship_or_deliver_an_order_with_another_sellers_lines(
    level, seller
):
    other_level = StockLevelFactory(store=make_seller().stores.get(), quantity=4)
    order = _place_mixed(make_customer(), level, other_level)

    shipped = client_for(seller).post(f"{URL}{order.pk}/enviar/")
    order_ship(order=order, actor=make_staff())
    delivered = client_for(seller).post(f"{URL}{order.pk}/entregar/")

    for response in (shipped, delivered):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "order_has_other_sellers"
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SHIPPED
    sales = StockMovement.objects.filter(order=order, reason="sale")
    assert {m.created_by.is_staff for m in sales} == {True}


def test_staff_ships_and_delivers_a_mixed_order(level):
    other_level = StockLevelFactory(store=make_seller().stores.get(), quantity=4)
    order = _place_mixed(make_customer(), level, other_level)
    staff = client_for(make_staff())

    shipped = staff.post(f"{URL}{order.pk}/enviar/")
    delivered = staff.post(f"{URL}{order.pk}/entregar/")

    assert shipped.status_code == 200
    assert delivered.json()["status"] == "delivered"
    assert StockMovement.objects.filter(order=order, reason="sale").count() == 2


def test_only_staff_mark_an_order_paid(level, seller):
    customer = make_customer()
    order_id = _place(client_for(customer), level).json()["id"]

    by_customer = client_for(customer).post(f"{URL}{order_id}/pagar/")
    by_seller = client_for(seller).post(f"{URL}{order_id}/pagar/")
    unpaid = Order.objects.get(pk=order_id).status
    by_staff = client_for(make_staff()).post(f"{URL}{order_id}/pagar/")

    for refused in (by_customer, by_seller):
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "payment_staff_only"
    assert unpaid == OrderStatus.PLACED
    assert by_staff.status_code == 200
    assert by_staff.json()["status"] == "paid"


def test_staff_cannot_mark_its_own_order_paid(level):
    staff = make_staff()
    staff.groups.add(*make_customer().groups.all())
    order_id = _place(client_for(staff), level).json()["id"]

    response = client_for(staff).post(f"{URL}{order_id}/pagar/")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "payment_staff_only"
    assert Order.objects.get(pk=order_id).status == OrderStatus.PLACED


def test_product_not_listed_in_the_store_is_not_listed(level):
    elsewhere = StockLevelFactory(quantity=4)
    body = {
        "items": [
            {"product": elsewhere.product.pk, "store": level.store.pk, "quantity": 1}
        ]
    }

    response = client_for(make_customer()).post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_listed"
    assert not Order.objects.exists()
