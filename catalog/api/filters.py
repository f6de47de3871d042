"""Filters, search and ordering allow-lists of the catalog lists.

Every filter validates its value: a malformed number, date or choice is a
400 with the field named, never an unfiltered list or a 500.
"""

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from catalog.models import OrderItem, OrderStatus, StockLevel
from catalog.selectors import reviews_of_product_q
from dropi.api.filters import IdFilter, StrictBooleanFilter


class StoreFilter(django_filters.FilterSet):
    city = django_filters.CharFilter(field_name="city", lookup_expr="iexact")
    state = django_filters.CharFilter(field_name="state", lookup_expr="iexact")
    search = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", max_length=100
    )
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("created_at", "created_at"))
    )


class ProductFilter(django_filters.FilterSet):
    store = IdFilter(method="filter_store")
    category = IdFilter(field_name="category_id")
    price_min = django_filters.NumberFilter(
        field_name="price", lookup_expr="gte", min_value=0, max_digits=14
    )
    price_max = django_filters.NumberFilter(
        field_name="price", lookup_expr="lte", min_value=0, max_digits=14
    )
    in_stock = StrictBooleanFilter(method="filter_in_stock")
    min_rating = django_filters.NumberFilter(
        field_name="rating", lookup_expr="gte", min_value=1, max_value=5
    )
    search = django_filters.CharFilter(method="filter_search", max_length=100)
    ordering = django_filters.OrderingFilter(
        fields=(
            ("price", "price"),
            ("name", "name"),
            ("created_at", "created_at"),
            ("rating", "rating"),
        )
    )

    def filter_store(self, queryset: QuerySet, name: str, value) -> QuerySet:
        listed = StockLevel.objects.filter(product=OuterRef("pk"), store_id=value)
        return queryset.filter(Exists(listed))

    def filter_in_stock(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "true":
            return queryset.filter(stock_available__gt=0)
        return queryset.filter(stock_available__lte=0)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(sku__iexact=value))


class OrderFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices)
    store = IdFilter(method="filter_store")
    purchased_from = django_filters.DateFilter(
        field_name="purchased_at", lookup_expr="date__gte"
    )
    purchased_to = django_filters.DateFilter(
        field_name="purchased_at", lookup_expr="date__lte"
    )
    ordering = django_filters.OrderingFilter(
        fields=(("purchased_at", "purchased_at"), ("status", "status"))
    )

    def filter_store(self, queryset: QuerySet, name: str, value) -> QuerySet:
        sold = OrderItem.objects.filter(order=OuterRef("pk"), store_id=value)
        return queryset.filter(Exists(sold))


class ReviewFilter(django_filters.FilterSet):
    product = IdFilter(method="filter_product")
    score = django_filters.NumberFilter(
        field_name="score", min_value=1, max_value=5, decimal_places=0
    )
    ordering = django_filters.OrderingFilter(
        fields=(("reviewed_at", "reviewed_at"), ("score", "score"))
    )

    def filter_product(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(reviews_of_product_q(product=int(value)))
