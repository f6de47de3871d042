"""Who may do what on stores, products, orders and reviews over the API.

Model permissions (``catalog.add_product`` ...) come from the user's tier
groups, so staff change them in the admin; ownership (a seller's stores, a
customer's orders) is checked on the object.
"""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from catalog import permissions as perms
from catalog.models import Order, OrderItem, Product, Store


def _is_staff_with(user: Any, perm: str) -> bool:
    return bool(user.is_staff and user.has_perm(perm))


def can_manage_store(user: Any, store: Store) -> bool:
    """Staff with the permission, or the store's owner."""
    return _is_staff_with(user, perms.STORE_CHANGE) or (
        store.owner_id is not None and store.owner_id == user.pk
    )


def can_manage_product(user: Any, product: Product) -> bool:
    """Staff with the permission, or the owner of a store that lists it."""
    return _is_staff_with(user, perms.PRODUCT_CHANGE) or (
        user.has_perm(perms.PRODUCT_CHANGE)
        and product.stores.filter(owner=user).exists()
    )


PRICE_CONTROL_FIELDS = ("price_floor", "max_discount_percent")


def refuse_price_controls_unless_staff(user: Any, sent: dict[str, Any]) -> None:
    """Only staff set a product's price floor and maximum discount.

    The controls limit what the seller may do with its own prices, so a
    seller sending them (even unchanged) gets 403
    ``price_controls_staff_only``.
    """
    named = sorted(name for name in PRICE_CONTROL_FIELDS if name in sent)
    if named and not _is_staff_with(user, perms.PRODUCT_CHANGE):
        raise PermissionDenied(
            _("Solo el personal fija el precio mínimo y el descuento máximo."),
            code="price_controls_staff_only",
        )


def is_order_customer(user: Any, order: Order) -> bool:
    return order.customer.user_id == user.pk


def is_order_seller(user: Any, order: Order) -> bool:
    return order.items.filter(store__owner=user).exists()


def sells_whole_order(user: Any, order: Order) -> bool:
    """Every line of ``order`` comes from a store the user owns.

    Read from the database, not from the order's prefetched items: a
    seller's queryset prefetches only that seller's lines.
    """
    lines = OrderItem.objects.filter(order=order)
    return lines.exists() and not lines.exclude(store__owner=user).exists()


class ActionPermission(BasePermission):
    """Each action needs the model permission the view maps it to.

    The view declares ``action_permissions = {"create": "catalog.add_x"}``;
    actions not listed need only a signed-in user.
    """

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        needed = getattr(view, "action_permissions", {}).get(view.action)

        return needed is None or request.user.has_perm(needed)


class CanManageCatalogObject(BasePermission):
    """Writes on a store or product only by its owner or permitted staff."""

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if isinstance(obj, Store):
            return can_manage_store(request.user, obj)
        if isinstance(obj, Product):
            return can_manage_product(request.user, obj)
        return False


class CanActOnOrder(BasePermission):
    """Order transitions, by role.

    Only staff with ``catalog.change_order`` mark an order paid, never their
    own (403 ``payment_staff_only``). The customer cancels its own order; a
    return puts units back in stock, so it is recorded by whoever receives
    the goods: a seller with ``catalog.change_order`` ships, delivers and
    takes back an order whose every line comes from its own stores (an
    order mixing several sellers' lines is moved by staff: 403
    ``order_has_other_sellers``); staff with ``catalog.change_order`` do
    anything.
    """

    customer_actions = frozenset({"cancel"})
    seller_actions = frozenset({"ship", "deliver", "return_"})
    staff_actions = frozenset({"pay"})

    def has_object_permission(self, request, view, obj) -> bool:
        user = request.user
        if request.method in SAFE_METHODS:
            return True
        if view.action in self.staff_actions and not (
            _is_staff_with(user, perms.ORDER_CHANGE)
            and not is_order_customer(user, obj)
        ):
            # Sellers hold catalog.change_order too (to ship); paying needs
            # staff, and nobody confirms the payment of its own order.
            raise PermissionDenied(
                _("Solo el personal registra pagos, y nunca de un pedido propio."),
                code="payment_staff_only",
            )
        if _is_staff_with(user, perms.ORDER_CHANGE):
            return True
        if view.action in self.customer_actions:
            return is_order_customer(user, obj)
        if view.action in self.seller_actions:
            if not (user.has_perm(perms.ORDER_CHANGE) and is_order_seller(user, obj)):
                return False
            if not sells_whole_order(user, obj):
                raise PermissionDenied(
                    _("El pedido incluye artículos de otros vendedores."),
                    code="order_has_other_sellers",
                )
            return True
        return False
