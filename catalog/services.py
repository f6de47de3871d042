"""Writes of the catalog: stores, products, prices, orders and reviews.

Every function here is the only way the API changes these rows. Errors are
raised as ``ApplicationError`` (a stable ``code`` plus a translated message)
or Django ``ValidationError``; the API turns both into a 400.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from catalog.models import (
    Category,
    Offer,
    Order,
    OrderItem,
    OrderStatus,
    PriceChange,
    Product,
    Review,
    StockLevel,
    StockMovement,
    StockMovementReason,
    Store,
)
from crm.models import Customer
from crm.services import customer_ensure_for_user
from dropi.db import violates_constraint
from dropi.exceptions import ApplicationError
from fraud.services import order_is_held, order_risk_assess

logger = logging.getLogger(__name__)

HUNDRED = Decimal("100")
# A price cut is measured against the highest price of this window.
# TODO: cuts spread over several windows still add up, and raising the price
# first raises the reference; a per-product reference set by staff would
# close both, at the cost of a migration and an admin screen.
DISCOUNT_WINDOW = timedelta(days=30)
# Products written per UPDATE statement by product_ratings_refresh.
RATING_REFRESH_BATCH = 1000
# Orders cancelled per run of the unpaid-order expiry; the next run (the job
# is periodic) takes the rest.
UNPAID_EXPIRY_BATCH = 500
MAX_ORDER_LINES = 50
# Name PostgreSQL gave the unique index of Product.sku (unique=True).
SKU_CONSTRAINT = "catalog_product_sku_key"

STORE_EDITABLE_FIELDS = ("name", "city", "state", "zip_prefix", "is_active")
PRODUCT_EDITABLE_FIELDS = (
    "name",
    "description",
    "category",
    "price_floor",
    "max_discount_percent",
    "weight_g",
    "is_active",
)


@dataclass(frozen=True)
class OrderLine:
    """One requested line of a new order: ``quantity`` units from a store."""

    product: Product
    store: Store
    quantity: int


def _apply_changes(instance: Any, data: dict[str, Any], allowed: tuple[str, ...]):
    changed = [name for name in allowed if name in data]
    for name in changed:
        setattr(instance, name, data[name])
    instance.full_clean()
    instance.save(update_fields=[*changed, "updated_at"])

    return instance


def store_create(
    *, owner: User, name: str, city: str = "", state: str = "", zip_prefix: str = ""
) -> Store:
    store = Store(owner=owner, name=name, city=city, state=state, zip_prefix=zip_prefix)
    store.full_clean()
    store.save()
    logger.info("Store created", extra={"store_id": store.pk, "user_id": owner.pk})

    return store


def store_update(*, store: Store, data: dict[str, Any]) -> Store:
    """Change the editable fields present in ``data``; ignore the rest."""
    return _apply_changes(store, data, STORE_EDITABLE_FIELDS)


def _validate_price(*, product: Product, new_price: Decimal) -> None:
    if new_price < 0:
        raise ApplicationError(
            _("El precio no puede ser negativo."), code="price_negative"
        )
    if product.price_floor is not None and new_price < product.price_floor:
        raise ApplicationError(
            _("El precio está por debajo del precio mínimo del producto."),
            code="price_below_floor",
            extra={"price_floor": str(product.price_floor)},
        )
    reference = _reference_price(product=product)
    if reference:
        lowest = reference * (HUNDRED - product.max_discount_percent) / HUNDRED
        if new_price < lowest:
            raise ApplicationError(
                _("El descuento supera el máximo permitido para el producto."),
                code="discount_too_large",
                extra={
                    "max_discount_percent": str(product.max_discount_percent),
                    "reference_price": str(reference),
                },
            )


def _reference_price(*, product: Product) -> Decimal | None:
    """Return the price a discount is measured from.

    That is the highest of the current price and every price the product
    had in the last ``DISCOUNT_WINDOW``, so a run of small cuts cannot add
    up to more than the maximum discount within the window.
    """
    since = timezone.now() - DISCOUNT_WINDOW
    highest = PriceChange.objects.filter(
        product=product, changed_at__gte=since
    ).aggregate(highest=Max("new_price"))["highest"]
    candidates = [price for price in (product.price, highest) if price is not None]

    return max(candidates) if candidates else None


def _sku_taken(sku: str) -> ApplicationError:
    return ApplicationError(
        _("Ya existe un producto con ese SKU."), code="sku_taken", extra={"sku": sku}
    )


@transaction.atomic
def product_create(
    *,
    store: Store,
    sku: str,
    name: str,
    price: Decimal,
    created_by: User,
    category: Category | None = None,
    description: str = "",
    price_floor: Decimal | None = None,
    max_discount_percent: Decimal | None = None,
    quantity: int = 0,
) -> Product:
    """Create a product listed in ``store`` with its first price and stock.

    The first price is recorded in the price history and the initial stock
    as a restock movement in the ledger.
    """
    if Product.objects.filter(sku=sku).exists():
        raise _sku_taken(sku)
    if price_floor is not None and price < price_floor:
        raise ApplicationError(
            _("El precio está por debajo del precio mínimo del producto."),
            code="price_below_floor",
        )

    product = Product(
        sku=sku,
        name=name,
        description=description,
        category=category,
        price=price,
        price_floor=price_floor,
    )
    if max_discount_percent is not None:
        product.max_discount_percent = max_discount_percent
    product.full_clean(validate_unique=False)
    try:
        # A concurrent request may take the SKU after the check above; the
        # unique index decides, inside a savepoint so the error is clean.
        with transaction.atomic():
            product.save()
    except IntegrityError as error:
        if not violates_constraint(error, SKU_CONSTRAINT):
            raise
        raise _sku_taken(sku) from error

    StockLevel.objects.create(store=store, product=product, quantity=quantity)
    if quantity:
        StockMovement.objects.create(
            store=store,
            product=product,
            quantity_delta=quantity,
            reason=StockMovementReason.RESTOCK,
            created_by=created_by,
        )
    PriceChange.objects.create(
        product=product, old_price=None, new_price=price, changed_by=created_by
    )
    logger.info(
        "Product created", extra={"product_id": product.pk, "store_id": store.pk}
    )

    return product


@transaction.atomic
def product_update(*, product: Product, data: dict[str, Any]) -> Product:
    """Change descriptive fields; prices change only through their service.

    A price floor above the current price is refused. The row is locked so
    a concurrent price change cannot slip under the new floor.
    """
    if data.get("price_floor") is not None:
        price = Product.objects.select_for_update().values_list("price", flat=True)
        current = price.get(pk=product.pk)
        if current is not None and data["price_floor"] > current:
            raise ApplicationError(
                _("El precio mínimo no puede superar el precio actual."),
                code="price_floor_above_price",
                extra={"price": str(current)},
            )

    return _apply_changes(product, data, PRODUCT_EDITABLE_FIELDS)


@transaction.atomic
def product_price_change(
    *, product: Product, new_price: Decimal, changed_by: User, reason: str = ""
) -> PriceChange:
    """Set a new list price within the floor and maximum discount; log it.

    The product row is locked so two concurrent changes are applied one
    after the other and each history row holds the true previous price.
    """
    locked = Product.objects.select_for_update().get(pk=product.pk)
    _validate_price(product=locked, new_price=new_price)

    change = PriceChange.objects.create(
        product=locked,
        old_price=locked.price,
        new_price=new_price,
        changed_by=changed_by,
        reason=reason,
    )
    locked.price = new_price
    locked.save(update_fields=["price", "updated_at"])
    product.price = new_price
    logger.info(
        "Product price changed",
        extra={"product_id": locked.pk, "price_change_id": change.pk},
    )

    return change


def _unit_price(*, product: Product, store: Store) -> Decimal:
    if not (product.is_active and store.is_active) or product.price is None:
        raise ApplicationError(
            _("El producto no está a la venta."),
            code="product_unavailable",
            extra={"product": product.pk, "store": store.pk},
        )
    now = timezone.now()
    offer = (
        Offer.objects.filter(product=product, starts_at__lte=now, ends_at__gt=now)
        .filter(Q(store=store) | Q(store__isnull=True))
        .order_by("price")
        .first()
    )

    return min(offer.price, product.price) if offer else product.price


def _lock_levels(keys: set[tuple[int, int]]) -> dict[tuple[int, int], StockLevel]:
    """Lock the stock rows of (store id, product id) pairs, in key order."""
    if not keys:
        return {}
    wanted = Q()
    for store_id, product_id in keys:
        wanted |= Q(store_id=store_id, product_id=product_id)
    rows = StockLevel.objects.select_for_update().filter(wanted).order_by("pk")

    return {(row.store_id, row.product_id): row for row in rows}


def _reserve(*, lines: list[OrderLine], order: Order, actor: User) -> None:
    levels = _lock_levels({(line.store.pk, line.product.pk) for line in lines})
    for line in lines:
        level = levels.get((line.store.pk, line.product.pk))
        if level is None:
            raise ApplicationError(
                _("El producto no se vende en esa tienda."),
                code="not_listed",
                extra={"product": line.product.pk, "store": line.store.pk},
            )
        available = level.quantity - level.reserved
        if available < line.quantity:
            raise ApplicationError(
                _("No hay stock suficiente para el producto en esa tienda."),
                code="insufficient_stock",
                extra={
                    "product": line.product.pk,
                    "store": line.store.pk,
                    "available": max(available, 0),
                },
            )
        level.reserved += line.quantity
        level.save(update_fields=["reserved", "updated_at"])
        StockMovement.objects.create(
            store=line.store,
            product=line.product,
            quantity_delta=0,
            reserved_delta=line.quantity,
            reason=StockMovementReason.RESERVATION,
            order=order,
            created_by=actor,
        )


@transaction.atomic
def order_place(
    *,
    customer: Customer,
    lines: list[OrderLine],
    placed_by: User,
    shipping: dict[str, str] | None = None,
) -> Order:
    """Place an order: price each line, reserve its stock, assess its risk.

    Stock rows are locked (``SELECT ... FOR UPDATE``, in primary-key order
    so concurrent orders cannot deadlock) and each reservation is written to
    the stock ledger. Everything happens in one transaction: a line without
    stock leaves nothing behind.
    """
    if not lines:
        raise ApplicationError(_("El pedido no tiene artículos."), code="empty_order")
    if len(lines) > MAX_ORDER_LINES:
        raise ApplicationError(
            _("El pedido tiene demasiadas líneas."), code="too_many_lines"
        )
    seen = set()
    for line in lines:
        key = (line.store.pk, line.product.pk)
        if key in seen:
            raise ApplicationError(
                _("El mismo producto y tienda aparece dos veces."),
                code="duplicate_line",
            )
        seen.add(key)
        # A seller buying from its own store would only inflate its own
        # sales figures (and rankings).
        if line.store.owner_id is not None and line.store.owner_id == placed_by.pk:
            raise ApplicationError(
                _("No puede comprar en su propia tienda."),
                code="own_store",
                extra={"store": line.store.pk},
            )

    order = Order.objects.create(
        customer=customer,
        status=OrderStatus.PLACED,
        purchased_at=timezone.now(),
        **(shipping or {}),
    )
    OrderItem.objects.bulk_create(
        OrderItem(
            order=order,
            line_number=number,
            product=line.product,
            store=line.store,
            quantity=line.quantity,
            unit_price=_unit_price(product=line.product, store=line.store),
        )
        for number, line in enumerate(lines, start=1)
    )
    _reserve(lines=lines, order=order, actor=placed_by)
    order_risk_assess(order=order)
    logger.info(
        "Order placed", extra={"order_id": order.pk, "customer_id": str(customer.pk)}
    )

    return order


def order_place_for_user(
    *, user: User, lines: list[OrderLine], shipping: dict[str, str] | None = None
) -> Order:
    """Place an order for the user, creating its customer record if new."""
    customer = customer_ensure_for_user(user=user)

    return order_place(
        customer=customer, lines=lines, placed_by=user, shipping=shipping
    )


def _reserved_by_order(order: Order) -> dict[tuple[int, int], int]:
    """Units the ledger still holds reserved for ``order``, per store+product.

    Imported orders never reserved anything, so transitions on them move no
    stock.
    """
    rows = (
        StockMovement.objects.filter(order=order)
        .values("store_id", "product_id")
        .annotate(total=Sum("reserved_delta"))
    )
    return {
        (row["store_id"], row["product_id"]): row["total"]
        for row in rows
        if row["total"]
    }


def _move_stock(
    *,
    order: Order,
    actor: User | None,
    reason: StockMovementReason,
    per_key: dict[tuple[int, int], int],
    quantity_sign: int,
    reserved_sign: int,
) -> None:
    by_key = _lock_levels(set(per_key))
    for key, units in per_key.items():
        level = by_key.get(key)
        if level is None:
            level = StockLevel.objects.create(store_id=key[0], product_id=key[1])
        level.quantity += quantity_sign * units
        level.reserved += reserved_sign * units
        level.save(update_fields=["quantity", "reserved", "updated_at"])
        StockMovement.objects.create(
            store_id=key[0],
            product_id=key[1],
            quantity_delta=quantity_sign * units,
            reserved_delta=reserved_sign * units,
            reason=reason,
            order=order,
            created_by=actor,
        )


def _lock_for_transition(
    *, order: Order, allowed_from: tuple[str, ...], target: str
) -> Order:
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.status not in allowed_from:
        raise ApplicationError(
            _("El pedido no puede pasar de «%(from)s» a «%(to)s».")
            % {
                "from": OrderStatus(locked.status).label,
                "to": OrderStatus(target).label,
            },
            code="invalid_transition",
            extra={"status": locked.status, "target": target},
        )
    return locked


def _finish_transition(
    *, order: Order, locked: Order, target: str, stamp: str | None
) -> Order:
    locked.status = target
    fields = ["status", "updated_at"]
    if stamp:
        setattr(locked, stamp, timezone.now())
        fields.append(stamp)
    locked.save(update_fields=fields)
    order.status = locked.status
    logger.info("Order status changed", extra={"order_id": locked.pk, "status": target})

    return locked


@transaction.atomic
def order_pay(*, order: Order, actor: User) -> Order:
    locked = _lock_for_transition(
        order=order, allowed_from=(OrderStatus.PLACED,), target=OrderStatus.PAID
    )
    return _finish_transition(
        order=order, locked=locked, target=OrderStatus.PAID, stamp="approved_at"
    )


@transaction.atomic
def order_ship(*, order: Order, actor: User) -> Order:
    """Ship a paid order: its reservations become sales in the ledger.

    Refused while a fraud case holds the order.
    """
    locked = _lock_for_transition(
        order=order, allowed_from=(OrderStatus.PAID,), target=OrderStatus.SHIPPED
    )
    if order_is_held(order=locked):
        raise ApplicationError(
            _("El pedido está retenido por revisión de fraude."), code="order_held"
        )

    reserved = _reserved_by_order(locked)
    if reserved:
        _move_stock(
            order=locked,
            actor=actor,
            reason=StockMovementReason.SALE,
            per_key=reserved,
            quantity_sign=-1,
            reserved_sign=-1,
        )

    return _finish_transition(
        order=order, locked=locked, target=OrderStatus.SHIPPED, stamp="shipped_at"
    )


@transaction.atomic
def order_deliver(*, order: Order, actor: User) -> Order:
    locked = _lock_for_transition(
        order=order, allowed_from=(OrderStatus.SHIPPED,), target=OrderStatus.DELIVERED
    )
    return _finish_transition(
        order=order, locked=locked, target=OrderStatus.DELIVERED, stamp="delivered_at"
    )


@transaction.atomic
def order_cancel(*, order: Order, actor: User | None) -> Order:
    """Cancel an order not yet shipped and release its stock reservations.

    ``actor`` is None when the platform itself cancels (unpaid expiry).
    """
    locked = _lock_for_transition(
        order=order,
        allowed_from=(OrderStatus.PLACED, OrderStatus.PAID),
        target=OrderStatus.CANCELLED,
    )

    reserved = _reserved_by_order(locked)
    if reserved:
        _move_stock(
            order=locked,
            actor=actor,
            reason=StockMovementReason.RELEASE,
            per_key=reserved,
            quantity_sign=0,
            reserved_sign=-1,
        )

    return _finish_transition(
        order=order, locked=locked, target=OrderStatus.CANCELLED, stamp=None
    )


@transaction.atomic
def order_return(*, order: Order, actor: User) -> Order:
    """Take a delivered order back; its units return to the stores' stock."""
    locked = _lock_for_transition(
        order=order, allowed_from=(OrderStatus.DELIVERED,), target=OrderStatus.RETURNED
    )

    units: dict[tuple[int, int], int] = defaultdict(int)
    for item in locked.items.all():
        units[(item.store_id, item.product_id)] += item.quantity
    _move_stock(
        order=locked,
        actor=actor,
        reason=StockMovementReason.RETURN,
        per_key=dict(units),
        quantity_sign=1,
        reserved_sign=0,
    )

    return _finish_transition(
        order=order, locked=locked, target=OrderStatus.RETURNED, stamp=None
    )


@transaction.atomic
def review_create(
    *,
    customer: Customer | None,
    order_id: int,
    product: Product,
    score: int,
    title: str = "",
    message: str = "",
) -> Review:
    """Record a customer's review of one product it received, once.

    An order that does not exist and someone else's order give the same
    error, so the answer does not tell which order ids exist. The order row
    is locked so two simultaneous submissions cannot both pass the "not
    reviewed yet" check.
    """
    locked = None
    if customer is not None:
        locked = (
            Order.objects.select_for_update()
            .filter(pk=order_id, customer=customer)
            .first()
        )
    if locked is None:
        raise ApplicationError(
            _("Solo puede reseñar sus propios pedidos."), code="order_not_owned"
        )
    if locked.status != OrderStatus.DELIVERED:
        raise ApplicationError(
            _("Solo se pueden reseñar pedidos entregados."),
            code="order_not_delivered",
        )
    if not locked.items.filter(product=product).exists():
        raise ApplicationError(
            _("El producto no forma parte de ese pedido."),
            code="product_not_in_order",
        )
    # TODO: only this lock keeps one review per item; no database constraint
    # backs it, so a writer that skips this service could add a second one.
    if Review.objects.filter(order=locked, product=product).exists():
        raise ApplicationError(
            _("Ya reseñó este producto de este pedido."), code="already_reviewed"
        )

    review = Review(
        order=locked,
        product=product,
        score=score,
        title=title,
        message=message,
        reviewed_at=timezone.now(),
    )
    review.full_clean()
    review.save()
    # The review counts for this product only (it names the product), so
    # only its summary moves; F() keeps concurrent reviews from losing one.
    Product.objects.filter(pk=product.pk).update(
        rating_sum=F("rating_sum") + review.score,
        reviews_count=F("reviews_count") + 1,
    )
    logger.info("Review created", extra={"review_id": review.pk, "order_id": locked.pk})

    return review


def _product_review_totals() -> dict[int, tuple[int, int]]:
    """Sum and count of the reviews that count for each reviewed product.

    The rule of ``catalog.selectors.reviews_of_product_q``, as one grouped
    scan: a review of a whole order counts once for every product the order
    holds, a review naming a product only for that product. (A correlated
    subquery per product took minutes on SQLite for the Olist data.)
    """
    review = Review._meta.db_table
    item = OrderItem._meta.db_table
    sql = f"""
        SELECT pairs.product_id, SUM(pairs.score), COUNT(*)
        FROM (
            SELECT DISTINCT i.product_id AS product_id, r.id AS review_id,
                   r.score AS score
            FROM {review} r JOIN {item} i ON i.order_id = r.order_id
            WHERE r.product_id IS NULL OR r.product_id = i.product_id
        ) pairs
        GROUP BY pairs.product_id
    """  # noqa: S608 (table names from the models, no input)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {row[0]: (int(row[1]), int(row[2])) for row in cursor.fetchall()}


def product_ratings_refresh(*, products: QuerySet[Product] | None = None) -> int:
    """Recompute the stored rating summary of ``products`` (default: all).

    Set-based: one grouped scan of reviews and order items gives every
    product's figures; only the products whose summary differs are written,
    in batches. Returns how many were written.
    """
    products = Product.objects.all() if products is None else products
    totals = _product_review_totals()
    stale = []
    stored = products.order_by("pk").values_list("pk", "rating_sum", "reviews_count")
    for pk, rating_sum, reviews_count in stored.iterator(chunk_size=2000):
        fresh = totals.get(pk, (0, 0))
        if (rating_sum, reviews_count) != fresh:
            stale.append(Product(pk=pk, rating_sum=fresh[0], reviews_count=fresh[1]))
    Product.objects.bulk_update(
        stale, ["rating_sum", "reviews_count"], batch_size=RATING_REFRESH_BATCH
    )
    logger.info("Product ratings refreshed", extra={"products": len(stale)})

    return len(stale)


def orders_unpaid_expire(*, older_than: timedelta) -> int:
    """Cancel orders placed longer than ``older_than`` ago and never paid.

    Their stock reservations are released, so an abandoned (or hostile)
    order cannot keep a store's stock off sale. Each order is cancelled in
    its own transaction by ``order_cancel``; one that moved on meanwhile
    (paid by staff) is skipped. Returns how many were cancelled.
    """
    cutoff = timezone.now() - older_than
    stale = Order.objects.filter(
        status=OrderStatus.PLACED, purchased_at__lt=cutoff, source=""
    ).values_list("pk", flat=True)
    cancelled = 0
    for order in Order.objects.filter(pk__in=list(stale[:UNPAID_EXPIRY_BATCH])):
        try:
            order_cancel(order=order, actor=None)
        except ApplicationError:
            continue
        cancelled += 1
        logger.info("Unpaid order expired", extra={"order_id": order.pk})

    return cancelled
