"""Reads of the catalog, shaped for the API and other apps.

Each list selector returns a queryset whose number of SQL queries does not
depend on how many rows are read: per-row figures are subqueries and
related rows are joined or prefetched.
"""

import functools
from typing import Any

from django.db.models import (
    DecimalField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from catalog import permissions as perms
from catalog.models import (
    Offer,
    Order,
    OrderItem,
    PriceChange,
    Product,
    ProductRating,
    Review,
    StockLevel,
    Store,
)


def store_list() -> QuerySet[Store]:
    """Active stores, by name."""
    return Store.objects.filter(is_active=True)


def store_list_for_management() -> QuerySet[Store]:
    """Every store, active or not; callers check ownership."""
    return Store.objects.all()


def _per_product(queryset: QuerySet, expression, output_field) -> Subquery:
    return Subquery(
        queryset.filter(product=OuterRef("pk"))
        .order_by()
        .values("product")
        .annotate(value=expression)
        .values("value"),
        output_field=output_field,
    )


def reviews_of_product_q(*, product: Any, order_product: Any | None = None) -> Q:
    """Select a product's reviews: those of orders holding it.

    Olist reviews rate a whole order (no product) and count for every
    product the order holds; a review of one product counts only for it.
    Reviews are reached through the product's orders, which keeps the
    lookup on two indexes. ``product`` is a pk or an ``OuterRef``; inside a
    subquery, ``order_product`` is the same product one level further out.
    """
    orders = OrderItem.objects.filter(
        product=product if order_product is None else order_product
    ).values("order")

    return Q(order__in=orders) & (Q(product__isnull=True) | Q(product=product))


def product_review_figure(expression, output_field) -> Subquery:
    """Aggregate, per outer product, the reviews that count for it.

    ``expression`` is applied to the reviews selected by
    ``reviews_of_product_q``; the rating summary stored on each product is
    kept from these figures (``catalog.services.product_ratings_refresh``).
    """
    reviews = Review.objects.filter(
        reviews_of_product_q(
            product=OuterRef("pk"), order_product=OuterRef(OuterRef("pk"))
        )
    )
    return Subquery(
        reviews.order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(value=expression)
        .values("value"),
        output_field=output_field,
    )


def _available_units() -> Coalesce:
    """Units free to sell across the product's active stores."""
    return Coalesce(
        _per_product(
            StockLevel.objects.filter(store__is_active=True),
            Sum(F("quantity") - F("reserved")),
            IntegerField(),
        ),
        0,
    )


# Columns the storefront list never shows: leaving them out saves decoding
# them (three timestamps a row) for every product of every page.
_LIST_UNUSED_FIELDS = (
    "updated_at",
    "source",
    "source_id",
    "price_floor",
    "max_discount_percent",
    "length_cm",
    "height_cm",
    "width_cm",
    "photos_count",
    "category__created_at",
    "category__updated_at",
    "category__source",
    "category__source_id",
    "category__name_en",
    "category__slug",
    "category__parent",
    "category__vertical",
)


@functools.cache
def _active_products() -> QuerySet[Product]:
    """Return the part of the product list that does not depend on the time.

    Building the stock subquery, the join and the deferred columns costs
    Python on every request, so it is done once per process; callers derive new
    querysets from it (which clones it) and never evaluate it. The rating
    is read from the stored summary (the same expression as the rating
    indexes, so ordering by it is an index scan). The units available are
    an alias, for the ``in_stock`` filter only: the list reads them from
    the prefetched stock rows.
    """
    return (
        Product.objects.filter(is_active=True)
        .select_related("category")
        .defer(*_LIST_UNUSED_FIELDS)
        .annotate(rating=ProductRating())
        .alias(stock_available=_available_units())
    )


def product_list() -> QuerySet[Product]:
    """Active products with their figures and per-store stock.

    Figures: rating, review count, current offer price; per-store stock in
    ``store_stock`` (active stores, by store name then id, so the prefetch
    does not join the products back in to sort by them).
    """
    now = timezone.now()
    money = DecimalField(max_digits=14, decimal_places=2)
    active_offers = Offer.objects.filter(starts_at__lte=now, ends_at__gt=now)
    stock = (
        StockLevel.objects.filter(store__is_active=True)
        .select_related("store")
        .only("product_id", "store_id", "quantity", "reserved", "store__name")
        .order_by("store__name", "store_id")
    )

    return (
        _active_products()
        .annotate(offer_price=_per_product(active_offers, Min("price"), money))
        .prefetch_related(
            Prefetch("stocklevel_set", queryset=stock, to_attr="store_stock")
        )
    )


def product_list_for_management() -> QuerySet[Product]:
    """Every product, active or not; callers check ownership."""
    return Product.objects.all()


def product_price_history(*, product: Product) -> QuerySet[PriceChange]:
    """Return the product's price changes, newest first."""
    return PriceChange.objects.filter(product=product)


def product_current_offer(*, product: Product) -> Offer | None:
    """Return the cheapest offer running now, in one store or all of them."""
    now = timezone.now()

    return (
        Offer.objects.filter(product=product, starts_at__lte=now, ends_at__gt=now)
        .order_by("price", "ends_at")
        .first()
    )


def order_list_for_user(*, user: User | None) -> QuerySet[Order]:
    """Orders the user may see, each with the items the user may see.

    Staff with ``catalog.view_order`` see everything. A customer sees its
    own orders whole; a seller sees orders holding its stores' items, and
    only those items. Without a user (schema generation) nothing.
    """
    items = OrderItem.objects.select_related("product", "store")
    orders = Order.objects.all()
    if user is None:
        return orders.none()
    if not (user.is_staff and user.has_perm(perms.ORDER_VIEW)):
        own = Q(customer__user=user)
        sells = Exists(
            OrderItem.objects.filter(order=OuterRef("pk"), store__owner=user)
        )
        orders = orders.filter(own | sells)
        items = items.filter(Q(order__customer__user=user) | Q(store__owner=user))

    return orders.prefetch_related(Prefetch("items", queryset=items))


def review_list() -> QuerySet[Review]:
    """Reviews, newest first (public: no customer data)."""
    return Review.objects.all()
