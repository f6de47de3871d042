"""CRM endpoints (staff only)."""

import django_filters
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from crm.api.permissions import IsStaffWithCustomerView
from crm.api.serializers import CustomerOutputSerializer
from crm.selectors import customer_list
from dropi.api.schema import PRIVATE_ERRORS
from dropi.api.views import GuardedViewSet


class CustomerFilter(django_filters.FilterSet):
    city = django_filters.CharFilter(field_name="city", lookup_expr="iexact")
    state = django_filters.CharFilter(field_name="state", lookup_expr="iexact")
    search = django_filters.CharFilter(method="filter_search", max_length=100)
    ordering = django_filters.OrderingFilter(
        fields=(("created_at", "created_at"), ("name", "name"))
    )

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(email__iexact=value))


_schema = extend_schema(
    tags=["crm"], responses={200: CustomerOutputSerializer, **PRIVATE_ERRORS}
)


@extend_schema_view(list=_schema, retrieve=_schema)
class CustomerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Customers with their order count, for staff."""

    permission_classes = [IsStaffWithCustomerView]
    serializer_class = CustomerOutputSerializer
    filterset_class = CustomerFilter

    def get_queryset(self):
        return customer_list()
