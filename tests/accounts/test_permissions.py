from django.contrib.auth.models import AnonymousUser, Group

from accounts.permissions import object_is_accessible, queryset_for_user
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
