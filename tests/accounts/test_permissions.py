import pytest
from django.contrib.auth.models import AnonymousUser, Group
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from accounts.permissions import (
    PRODUCT_CREATE,
    USER_VIEW,
    HasCapability,
    IsOwnerOrStaff,
    capability_required,
    object_is_accessible,
    queryset_for_user,
)
from catalog.models import Order, Review, Store
from tests.accounts.factories import UserFactory
from tests.catalog.factories import OrderItemFactory, ReviewFactory, StoreFactory
from tests.crm.factories import CustomerFactory


def in_tier(tier, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=tier))
    return user


def test_seller_reaches_only_its_own_stores(db):
    seller = in_tier("seller")
    mine, theirs = StoreFactory(owner=seller), StoreFactory()

    visible = queryset_for_user(
        Store.objects.all(), seller, perm="catalog.change_store"
    )

    assert list(visible) == [mine]
    assert object_is_accessible(mine, seller, perm="catalog.change_store")
    assert not object_is_accessible(theirs, seller, perm="catalog.change_store")


def test_seller_sees_orders_containing_its_items(db):
    seller = in_tier("seller")
    sold = OrderItemFactory(store=StoreFactory(owner=seller)).order
    OrderItemFactory()

    visible = queryset_for_user(Order.objects.all(), seller, perm="catalog.view_order")

    assert list(visible) == [sold]


def test_customer_sees_only_its_orders_and_reviews(db):
    customer = in_tier("customer")
    mine = ReviewFactory(order__customer=CustomerFactory(user=customer))
    ReviewFactory()

    orders = queryset_for_user(Order.objects.all(), customer, perm="catalog.view_order")
    reviews = queryset_for_user(
        Review.objects.all(), customer, perm="catalog.view_review"
    )

    assert list(orders) == [mine.order]
    assert list(reviews) == [mine]


def test_staff_with_the_permission_sees_everything(db):
    staff = in_tier("staff", is_staff=True)
    StoreFactory.create_batch(2)

    assert (
        queryset_for_user(Store.objects.all(), staff, perm="catalog.view_store").count()
        == 2
    )


def test_staff_flag_without_the_permission_sees_nothing(db):
    staff = UserFactory(is_staff=True)
    StoreFactory(owner=staff)

    assert not queryset_for_user(
        Store.objects.all(), staff, perm="catalog.view_store"
    ).exists()


def test_anonymous_reaches_nothing(db):
    store = StoreFactory()

    assert not object_is_accessible(store, AnonymousUser(), perm="catalog.view_store")


def _view(permission, **attrs):
    class View(APIView):
        permission_classes = [permission]

        def get(self, request):
            return Response({"ok": True})

        def post(self, request):
            return Response({"ok": True})

    for name, value in attrs.items():
        setattr(View, name, value)
    return View.as_view()


def _call(view, user, method="get"):
    request = getattr(APIRequestFactory(), method)("/")
    force_authenticate(request, user=user)
    return view(request).status_code


def test_has_capability_checks_the_method_capabilities(db):
    view = _view(HasCapability, required_capabilities={"POST": [PRODUCT_CREATE]})
    customer, seller = in_tier("customer"), in_tier("seller")

    assert _call(view, customer) == 200
    assert _call(view, customer, "post") == 403
    assert _call(view, seller, "post") == 200


def test_capability_required_applies_to_every_method(db):
    view = _view(capability_required(USER_VIEW))

    assert _call(view, in_tier("customer")) == 403
    assert _call(view, in_tier("staff", is_staff=True)) == 200


def test_capability_required_refuses_unknown_names():
    with pytest.raises(KeyError):
        capability_required("product.teleport")


def test_is_owner_or_staff_object_check(db):
    seller = in_tier("seller")
    mine, theirs = StoreFactory(owner=seller), StoreFactory()
    permission = IsOwnerOrStaff()
    view = type("V", (), {"object_permissions": {"PATCH": "catalog.change_store"}})()
    request = type("R", (), {"user": seller, "method": "PATCH"})()
    get_request = type("R", (), {"user": seller, "method": "DELETE"})()

    assert permission.has_object_permission(request, view, mine)
    assert not permission.has_object_permission(request, view, theirs)
    assert not permission.has_object_permission(get_request, view, mine)
