"""Base classes every API view inherits its guards from.

Each view still states its own ``permission_classes``; the bases add the
throttles and the capped page-number pagination.
"""

from collections.abc import Sequence

from django.db.models import QuerySet
from rest_framework import viewsets
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.views import APIView

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

    def get_permissions(self) -> Sequence[BasePermission]:
        if self.action in self.public_actions:
            return [AllowAny()]
        return super().get_permissions()

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


class GuardedApiView(APIView):
    """A single-operation view with the shared throttles."""

    throttle_classes = DEFAULT_THROTTLES
