"""Reads of the CRM app."""

from django.db.models import Count, QuerySet

from accounts.models import User
from crm.models import Customer


def customer_list() -> QuerySet[Customer]:
    """All customers with their order count, newest first."""
    return (
        Customer.objects.select_related("user")
        .annotate(orders_count=Count("orders"))
        .order_by("-created_at", "id")
    )


def customer_get_for_user(*, user: User) -> Customer | None:
    return Customer.objects.filter(user=user).first()
