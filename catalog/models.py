from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dropi.models import SourcedModel, TimeStampedModel

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


class Vertical(TimeStampedModel):
    """A group of categories sharing ranking weights and fraud rules."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Category(SourcedModel, TimeStampedModel):
    name = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120, blank=True)
    slug = models.SlugField(max_length=120, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    vertical = models.ForeignKey(
        Vertical,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="categories",
    )

    class Meta(SourcedModel.Meta):
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Store(SourcedModel, TimeStampedModel):
    """A seller's shop; a seller may own several."""

    name = models.CharField(max_length=150)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stores",
    )
    zip_prefix = models.CharField(max_length=10, blank=True)
    city = models.CharField(max_length=120, blank=True)
    state = models.CharField(max_length=60, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta(SourcedModel.Meta):
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProductRating(models.Func):
    """A product's average score from its stored summary; NULL unreviewed.

    On PostgreSQL the sum is divided as ``numeric``, exactly as ``AVG`` of
    the scores divides, so the value (and any order by it) is the one the
    reviews give. SQLite divides as floating point.
    """

    output_field = models.DecimalField(max_digits=4, decimal_places=2)

    def __init__(self) -> None:
        super().__init__(models.F("rating_sum"), models.F("reviews_count"))

    def _division_sql(self, compiler, connection, number_type: str):
        return super().as_sql(
            compiler,
            connection,
            template="(CAST(%(expressions)s, 0))",
            arg_joiner=f" AS {number_type}) / NULLIF(",
        )

    def as_sql(self, compiler, connection, *args: Any, **extra_context: Any):
        return self._division_sql(compiler, connection, "NUMERIC")

    def as_sqlite(self, compiler, connection, **extra_context: Any):
        return self._division_sql(compiler, connection, "REAL")


class Product(SourcedModel, TimeStampedModel):
    sku = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
    )
    stores = models.ManyToManyField(
        Store, through="StockLevel", related_name="products", blank=True
    )
    price = models.DecimalField(**MONEY, null=True, blank=True)
    currency = models.CharField(max_length=3, default="PYG")
    price_floor = models.DecimalField(**MONEY, null=True, blank=True)
    max_discount_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("50.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    weight_g = models.PositiveIntegerField(null=True, blank=True)
    length_cm = models.PositiveIntegerField(null=True, blank=True)
    height_cm = models.PositiveIntegerField(null=True, blank=True)
    width_cm = models.PositiveIntegerField(null=True, blank=True)
    photos_count = models.PositiveSmallIntegerField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    # The rating summary: the scores and number of the reviews that count for
    # the product (see catalog.selectors.reviews_of_product_q). Kept by
    # review_create, the importer and ``product_ratings_refresh``.
    # TODO: a review written, edited or deleted any other way (admin, shell,
    # a cascade) leaves the summary stale, so the list shows and sorts by an
    # old rating until ``manage.py product_ratings_refresh`` is run.
    rating_sum = models.PositiveIntegerField(default=0, editable=False)
    reviews_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta(SourcedModel.Meta):
        ordering = ["name", "id"]
        constraints = [
            *SourcedModel.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(price__isnull=True) | models.Q(price__gte=0),
                name="catalog_product_price_non_negative",
            ),
        ]
        # The storefront list is read in these orders, a page at a time.
        indexes = [
            models.Index(fields=["name", "id"], name="catalog_product_list_idx"),
            models.Index(
                ProductRating(),
                "id",
                name="catalog_product_rating_a_idx",
                condition=models.Q(is_active=True),
            ),
            models.Index(
                ProductRating().desc(),
                "id",
                name="catalog_product_rating_d_idx",
                condition=models.Q(is_active=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class StockLevel(TimeStampedModel):
    """How many units of a product a store holds and has reserved."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE)
    product = models.ForeignKey(Product, on_delete=models.CASCADE)
    quantity = models.IntegerField(default=0)
    reserved = models.IntegerField(default=0)
    low_stock_threshold = models.PositiveIntegerField(default=5)

    class Meta:
        ordering = ["store", "product"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "product"],
                name="catalog_stocklevel_store_product_uniq",
            ),
            models.CheckConstraint(
                condition=models.Q(reserved__gte=0)
                & models.Q(quantity__gte=models.F("reserved")),
                name="catalog_stocklevel_reserved_within_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.store_id}/{self.product_id}: {self.quantity}"


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Realizado")
    PAID = "paid", _("Pagado")
    SHIPPED = "shipped", _("Enviado")
    DELIVERED = "delivered", _("Entregado")
    CANCELLED = "cancelled", _("Cancelado")
    RETURNED = "returned", _("Devuelto")


class Order(SourcedModel, TimeStampedModel):
    customer = models.ForeignKey(
        "crm.Customer", on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField(
        max_length=20, choices=OrderStatus.choices, default=OrderStatus.PLACED
    )
    # The status as the source system spelled it (Olist: "invoiced", ...).
    source_status = models.CharField(max_length=30, blank=True)
    currency = models.CharField(max_length=3, default="PYG")
    purchased_at = models.DateTimeField(db_index=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    promised_delivery_at = models.DateTimeField(null=True, blank=True)
    shipping_zip_prefix = models.CharField(max_length=10, blank=True)
    shipping_city = models.CharField(max_length=120, blank=True)
    shipping_state = models.CharField(max_length=60, blank=True)
    shipping_address = models.CharField(max_length=255, blank=True)
    shipping_phone = models.CharField(max_length=32, blank=True)

    class Meta(SourcedModel.Meta):
        ordering = ["-purchased_at", "-id"]
        indexes = [models.Index(fields=["status", "purchased_at"])]

    def __str__(self) -> str:
        return f"Order {self.pk}"


class OrderItem(TimeStampedModel):
    """One unit line of an order, sold by one store."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    line_number = models.PositiveSmallIntegerField()
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="order_items"
    )
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="order_items"
    )
    quantity = models.PositiveIntegerField(default=1)
    unit_price = models.DecimalField(**MONEY)
    freight = models.DecimalField(**MONEY, default=Decimal("0"))
    shipping_limit_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "line_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "line_number"], name="catalog_orderitem_line_uniq"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0) & models.Q(freight__gte=0),
                name="catalog_orderitem_amounts_non_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1),
                name="catalog_orderitem_quantity_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["store", "order"]),
            models.Index(fields=["product", "order"]),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}#{self.line_number}"


class Payment(TimeStampedModel):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    sequential = models.PositiveSmallIntegerField()
    method = models.CharField(max_length=30)
    installments = models.PositiveSmallIntegerField(default=1)
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["order", "sequential"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "sequential"], name="catalog_payment_seq_uniq"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="catalog_payment_amount_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.sequential} {self.amount}"


class Review(TimeStampedModel):
    """A customer's 1-5 star review of an order (and optionally one product).

    Olist reviews are per order; ``source_id`` repeats across orders there,
    so the import key is (source, source_id, order).
    """

    source = models.CharField(max_length=20, blank=True, default="")
    source_id = models.CharField(max_length=64, blank=True, default="")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="reviews")
    product = models.ForeignKey(
        Product,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    title = models.CharField(max_length=255, blank=True)
    message = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id", "order"],
                condition=~models.Q(source_id=""),
                name="catalog_review_source_uniq",
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1) & models.Q(score__lte=5),
                name="catalog_review_score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score}* order {self.order_id}"


class PriceChange(models.Model):
    """One change of a product's list price; the history is append-only."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="price_changes"
    )
    old_price = models.DecimalField(**MONEY, null=True, blank=True)
    new_price = models.DecimalField(**MONEY)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.old_price} -> {self.new_price}"


class Offer(TimeStampedModel):
    """A time-bounded sale price for a product (in one store or all)."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="offers"
    )
    store = models.ForeignKey(
        Store, null=True, blank=True, on_delete=models.CASCADE, related_name="offers"
    )
    price = models.DecimalField(**MONEY)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="catalog_offer_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(price__gte=0),
                name="catalog_offer_price_non_negative",
            ),
        ]
        indexes = [models.Index(fields=["product", "starts_at", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.product_id} at {self.price}"


class StockMovementReason(models.TextChoices):
    RESTOCK = "restock", _("Reposición")
    SALE = "sale", _("Venta")
    RESERVATION = "reservation", _("Reserva")
    RELEASE = "release", _("Liberación de reserva")
    RETURN = "return", _("Devolución")
    ADJUSTMENT = "adjustment", _("Ajuste")


class StockMovement(models.Model):
    """An entry in the append-only stock ledger of a store and product."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity_delta = models.IntegerField()
    reserved_delta = models.IntegerField(default=0)
    reason = models.CharField(max_length=20, choices=StockMovementReason.choices)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.store_id}/{self.product_id} {self.quantity_delta:+d}"


class ProductView(models.Model):
    """Human (non-bot) views of a product, counted per day."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="views")
    date = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "date"], name="catalog_productview_day_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} {self.date}: {self.count}"
