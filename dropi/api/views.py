"""The base class API viewsets inherit their guards from.

Each view still states its own ``permission_classes``; the base adds the
throttles, the capped page-number pagination and the public actions.
"""

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from dropi.api.pagination import DefaultPagination
from dropi.api.throttles import DEFAULT_THROTTLES


class GuardedViewSet(viewsets.GenericViewSet):
    """A viewset with the shared throttles and capped pagination.

    Filters apply to the list only: a detail or write action ignores the
    query string instead of failing on a list filter's value.
    """

    throttle_classes = DEFAULT_THROTTLES
    pagination_class = DefaultPagination
    # Actions open to anyone (catalog browsing); every other action uses the
    # view's ``permission_classes``.
    public_actions: tuple[str, ...] = ()

    def get_permissions(self) -> Sequence[Any]:
        if self.action in self.public_actions:
            return [AllowAny()]
        return super().get_permissions()

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)
