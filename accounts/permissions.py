"""Capabilities, the permissions behind them, and object-level rules.

A *capability* is a string the frontend uses to show or hide a button
(``"product.edit"``). Each one maps to the Django permission codenames it
requires; tiers are groups holding those permissions. Granting or removing
a permission of a group in the admin therefore changes a user's
capabilities, and what the API lets them do, with no code change.

Object-level rules (who may touch *which* rows) live here too so every app
applies the same ones:

* staff (``is_staff``) holding the model permission: every row;
* anyone else holding it: only their own rows — a seller the stores it
  owns (``Store.owner``) and what hangs from them, a customer the orders
  and reviews of its ``crm.Customer`` (``Customer.user``);
* without the permission: nothing.
"""

from collections.abc import Iterable

from django.apps import apps
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

# Capability constants ------------------------------------------------------

PRODUCT_CREATE = "product.create"
PRODUCT_EDIT = "product.edit"
PRICE_HISTORY_VIEW = "price_history.view"
OFFER_MANAGE = "offer.manage"
STOCK_MANAGE = "stock.manage"
STORE_EDIT = "store.edit"
ORDER_VIEW = "order.view"
ORDER_PLACE = "order.place"
ORDER_MANAGE = "order.manage"
REVIEW_WRITE = "review.write"
CUSTOMER_VIEW = "customer.view"
USER_VIEW = "user.view"
USER_MANAGE = "user.manage"
TIER_ASSIGN = "tier.assign"
RANKING_HISTORY_VIEW = "ranking_history.view"
DASHBOARD_PREMIUM = "dashboard.premium"
DASHBOARD_CORPORATE = "dashboard.corporate"

# Capability -> every permission it needs ("app_label.codename").
CAPABILITY_PERMISSIONS: dict[str, tuple[str, ...]] = {
    PRODUCT_CREATE: ("catalog.add_product",),
    PRODUCT_EDIT: ("catalog.change_product",),
    PRICE_HISTORY_VIEW: ("catalog.view_pricechange",),
    OFFER_MANAGE: ("catalog.add_offer", "catalog.change_offer"),
    STOCK_MANAGE: ("catalog.change_stocklevel",),
    STORE_EDIT: ("catalog.change_store",),
    ORDER_VIEW: ("catalog.view_order",),
    ORDER_PLACE: ("catalog.add_order",),
    ORDER_MANAGE: ("catalog.change_order",),
    REVIEW_WRITE: ("catalog.add_review",),
    CUSTOMER_VIEW: ("crm.view_customer",),
    USER_VIEW: ("accounts.view_user",),
    USER_MANAGE: ("accounts.change_user",),
    TIER_ASSIGN: ("accounts.assign_tier",),
    RANKING_HISTORY_VIEW: ("accounts.view_ranking_history",),
    DASHBOARD_PREMIUM: ("accounts.view_premium_dashboard",),
    DASHBOARD_CORPORATE: ("accounts.view_corporate_dashboard",),
}


def user_capabilities(user) -> list[str]:
    """Return the sorted capabilities ``user`` holds (none when anonymous).

    Uses ``get_all_permissions`` (group and user permissions, cached on the
    user object for the request; superusers hold every permission).
    """
    if not user or not user.is_authenticated or not user.is_active:
        return []
    held = user.get_all_permissions()

    return sorted(
        capability
        for capability, needed in CAPABILITY_PERMISSIONS.items()
        if all(perm in held for perm in needed)
    )


def user_has_capability(user, capability: str) -> bool:
    """Tell whether ``user`` holds every permission behind ``capability``."""
    needed = CAPABILITY_PERMISSIONS[capability]
    return bool(user and user.is_authenticated) and user.has_perms(needed)


class HasCapability(BasePermission):
    """Allow a request when the user holds the view's capability.

    The view names it per HTTP method in ``required_capabilities``
    (``{"GET": [USER_VIEW], "PATCH": [USER_MANAGE]}``); a method not listed
    needs only authentication. Unknown capability names raise ``KeyError``
    at the first request, so a typo cannot silently open a view.
    """

    message = _("No tiene permiso para esta acción.")

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        required: Iterable[str] = getattr(view, "required_capabilities", {}).get(
            request.method, ()
        )
        return all(user_has_capability(request.user, cap) for cap in required)


def capability_required(*capabilities: str) -> type[BasePermission]:
    """Build a permission class requiring ``capabilities`` on every method."""
    for capability in capabilities:
        CAPABILITY_PERMISSIONS[capability]

    class _Required(BasePermission):
        message = HasCapability.message

        def has_permission(self, request, view) -> bool:
            return all(user_has_capability(request.user, c) for c in capabilities)

    _Required.__name__ = "CapabilityRequired"
    _Required.__doc__ = f"Require {', '.join(capabilities)}."
    return _Required


# Object-level rules --------------------------------------------------------


def user_sees_all(user, perm: str) -> bool:
    """Tell whether ``user`` may reach every row guarded by ``perm``."""
    return bool(
        user and user.is_authenticated and user.is_staff and user.has_perm(perm)
    )


def _subquery(model_label: str, field: str, **filters):
    return apps.get_model(model_label).objects.filter(**filters).values(field)


def ownership_q(model: type[Model], user) -> Q:
    """Return the filter selecting the rows of ``model`` that ``user`` owns.

    Sellers own their stores and the products stocked, offers made and
    order items sold there (and the orders containing those items);
    customers own their ``crm.Customer`` record and its orders and reviews;
    every user owns their own account. Models without a rule: no row.
    """
    if not (user and user.is_authenticated):
        return Q(pk__in=[])
    label = model._meta.label_lower
    own_orders = Q(customer__user=user)
    sold_orders = Q(
        pk__in=_subquery("catalog.OrderItem", "order_id", store__owner=user)
    )
    rules = {
        "accounts.user": lambda: Q(pk=user.pk),
        "crm.customer": lambda: Q(user=user),
        "catalog.store": lambda: Q(owner=user),
        "catalog.product": lambda: Q(
            pk__in=_subquery("catalog.StockLevel", "product_id", store__owner=user)
        ),
        "catalog.stocklevel": lambda: Q(store__owner=user),
        "catalog.offer": lambda: Q(store__owner=user),
        "catalog.pricechange": lambda: Q(
            product__in=_subquery("catalog.StockLevel", "product_id", store__owner=user)
        ),
        "catalog.order": lambda: own_orders | sold_orders,
        "catalog.orderitem": lambda: (
            Q(order__customer__user=user) | Q(store__owner=user)
        ),
        "catalog.review": lambda: Q(order__customer__user=user),
    }
    rule = rules.get(label)

    return rule() if rule else Q(pk__in=[])


def queryset_for_user(queryset: QuerySet, user, *, perm: str) -> QuerySet:
    """Restrict ``queryset`` to what ``user`` may reach under ``perm``.

    Staff with ``perm`` get it unchanged; others with ``perm`` get their own
    rows (``ownership_q``); users without ``perm`` get nothing. Use it in
    ``get_queryset`` so another user's row answers 404, not 403.
    """
    if user_sees_all(user, perm):
        return queryset
    if not (user and user.is_authenticated and user.has_perm(perm)):
        return queryset.none()

    return queryset.filter(ownership_q(queryset.model, user))


def object_is_accessible(obj: Model, user, *, perm: str) -> bool:
    """Tell whether ``user`` may act on ``obj`` under ``perm`` (one query)."""
    if user_sees_all(user, perm):
        return True
    if not (user and user.is_authenticated and user.has_perm(perm)):
        return False
    manager = type(obj)._default_manager

    return manager.filter(ownership_q(type(obj), user), pk=obj.pk).exists()


class IsOwnerOrStaff(BasePermission):
    """Object-level check: staff with the permission, or the row's owner.

    The view sets ``object_permissions = {"GET": "catalog.view_order",
    "PATCH": "catalog.change_order"}``; methods not listed are refused.
    """

    message = HasCapability.message

    def has_object_permission(self, request, view, obj) -> bool:
        perm = getattr(view, "object_permissions", {}).get(request.method)
        if perm is None:
            return False
        return object_is_accessible(obj, request.user, perm=perm)
