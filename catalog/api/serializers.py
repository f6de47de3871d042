"""Input and output shapes of the catalog API; none of them writes."""

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from catalog.models import (
    Category,
    Offer,
    Order,
    OrderItem,
    PriceChange,
    Product,
    Review,
    StockLevel,
    Store,
)


def _optional_text(max_length: int) -> serializers.CharField:
    """Declare a text input that may be left out or blank (stored as "")."""
    return serializers.CharField(
        max_length=max_length, required=False, default="", allow_blank=True
    )


def _money(**kwargs: Any) -> serializers.DecimalField:
    """Declare an amount as the catalog stores it (14 digits, 2 places)."""
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


class StoreOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Store
        fields = [
            "id",
            "name",
            "city",
            "state",
            "zip_prefix",
            "is_active",
            "created_at",
        ]


class StoreCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    city = _optional_text(120)
    state = _optional_text(60)
    zip_prefix = _optional_text(10)


class StoreUpdateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150, required=False)
    city = serializers.CharField(max_length=120, required=False, allow_blank=True)
    state = serializers.CharField(max_length=60, required=False, allow_blank=True)
    zip_prefix = serializers.CharField(max_length=10, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class ProductStockOutputSerializer(serializers.ModelSerializer):
    store_name = serializers.CharField(source="store.name")
    available = serializers.SerializerMethodField()

    class Meta:
        model = StockLevel
        fields = ["store", "store_name", "available"]

    def get_available(self, obj: StockLevel) -> int:
        return max(obj.quantity - obj.reserved, 0)


class AvailableUnitsField(serializers.IntegerField):
    """Units free to sell: the sum over the product's active-store rows.

    Read from the prefetched ``store_stock`` rows instead of a subquery per
    product; it equals the selector's ``stock_available`` alias, which the
    ``in_stock`` filter uses.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="store_stock", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> int:
        levels: list[StockLevel] = value
        return sum(level.quantity - level.reserved for level in levels)


class ProductOutputSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", default=None)
    rating = serializers.DecimalField(
        max_digits=4, decimal_places=2, read_only=True, allow_null=True
    )
    reviews_count = serializers.IntegerField(read_only=True)
    stock_available = AvailableUnitsField()
    offer_price = _money(read_only=True, allow_null=True)
    stores = ProductStockOutputSerializer(
        source="store_stock", many=True, read_only=True
    )

    class Meta:
        model = Product
        fields = [
            "id",
            "sku",
            "name",
            "description",
            "category",
            "category_name",
            "price",
            "offer_price",
            "currency",
            "rating",
            "reviews_count",
            "stock_available",
            "stores",
            "weight_g",
            "is_active",
            "created_at",
        ]


class ProductWriteOutputSerializer(serializers.ModelSerializer):
    """A product as its manager sees it right after a write."""

    class Meta:
        model = Product
        fields = [
            "id",
            "sku",
            "name",
            "description",
            "category",
            "price",
            "price_floor",
            "max_discount_percent",
            "currency",
            "weight_g",
            "is_active",
        ]


class ProductCreateInputSerializer(serializers.Serializer):
    store = serializers.PrimaryKeyRelatedField(queryset=Store.objects.all())
    sku = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, default="", allow_blank=True)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), required=False, allow_null=True, default=None
    )
    price = _money(min_value=Decimal("0"))
    price_floor = _money(
        min_value=Decimal("0"), required=False, allow_null=True, default=None
    )
    max_discount_percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        required=False,
        allow_null=True,
        default=None,
    )
    quantity = serializers.IntegerField(min_value=0, max_value=1_000_000, default=0)


class ProductUpdateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), required=False, allow_null=True
    )
    price_floor = _money(min_value=Decimal("0"), required=False, allow_null=True)
    max_discount_percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        required=False,
    )
    weight_g = serializers.IntegerField(
        min_value=0, max_value=2_000_000_000, required=False, allow_null=True
    )
    is_active = serializers.BooleanField(required=False)


class PriceChangeInputSerializer(serializers.Serializer):
    price = _money(min_value=Decimal("0"))
    reason = _optional_text(255)


class PriceChangeOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriceChange
        fields = ["id", "old_price", "new_price", "changed_at", "reason"]


class OfferOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Offer
        fields = ["id", "product", "store", "price", "starts_at", "ends_at"]


class OrderItemOutputSerializer(serializers.ModelSerializer):
    product_name = serializers.CharField(source="product.name")
    store_name = serializers.CharField(source="store.name")

    class Meta:
        model = OrderItem
        fields = [
            "line_number",
            "product",
            "product_name",
            "store",
            "store_name",
            "quantity",
            "unit_price",
            "freight",
        ]


class OrderTotalField(serializers.DecimalField):
    """The sum of the order's visible lines, freight included.

    Computed from the prefetched items, so it costs no query per order.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(
            max_digits=16, decimal_places=2, source="*", read_only=True, **kwargs
        )

    def to_representation(self, value: Any) -> str:
        lines = (
            item.unit_price * item.quantity + item.freight for item in value.items.all()
        )
        return super().to_representation(sum(lines, Decimal("0")))


class OrderOutputSerializer(serializers.ModelSerializer):
    items = OrderItemOutputSerializer(many=True, read_only=True)
    total = OrderTotalField()

    class Meta:
        model = Order
        fields = [
            "id",
            "status",
            "currency",
            "purchased_at",
            "approved_at",
            "shipped_at",
            "delivered_at",
            "promised_delivery_at",
            "shipping_city",
            "shipping_state",
            "shipping_zip_prefix",
            "shipping_address",
            "items",
            "total",
        ]


class OrderLineInputSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    store = serializers.PrimaryKeyRelatedField(queryset=Store.objects.all())
    quantity = serializers.IntegerField(min_value=1, max_value=1000)


class OrderPlaceInputSerializer(serializers.Serializer):
    items = OrderLineInputSerializer(  # type: ignore[call-arg]
        many=True, allow_empty=False, max_length=50
    )
    shipping_address = _optional_text(255)
    shipping_city = _optional_text(120)
    shipping_state = _optional_text(60)
    shipping_zip_prefix = _optional_text(10)
    shipping_phone = _optional_text(32)


class ReviewOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Review
        fields = ["id", "product", "score", "title", "message", "reviewed_at"]


class ReviewCreateInputSerializer(serializers.Serializer):
    # A plain id, not a related field: whether an order exists is told only
    # to its customer (the service answers both cases with one error).
    order = serializers.IntegerField(
        source="order_id", min_value=1, max_value=2**63 - 1
    )
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    score = serializers.IntegerField(min_value=1, max_value=5)
    title = _optional_text(255)
    message = _optional_text(5000)
