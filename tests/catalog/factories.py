from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from catalog.models import (
    Category,
    Order,
    OrderItem,
    OrderStatus,
    Product,
    Review,
    StockLevel,
    Store,
)
from catalog.services import product_ratings_refresh
from tests.crm.factories import CustomerFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Categoría {n}")
    slug = factory.Sequence(lambda n: f"categoria-{n}")


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store

    name = factory.Sequence(lambda n: f"Tienda {n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"Producto {n}")
    category = factory.SubFactory(CategoryFactory)
    price = Decimal("100.00")


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    customer = factory.SubFactory(CustomerFactory)
    status = OrderStatus.DELIVERED
    purchased_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    promised_delivery_at = factory.LazyAttribute(
        lambda o: o.purchased_at + timedelta(days=7)
    )
    delivered_at = factory.LazyAttribute(lambda o: o.purchased_at + timedelta(days=5))


class OrderItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderItem

    order = factory.SubFactory(OrderFactory)
    line_number = factory.Sequence(lambda n: n + 1)
    product = factory.SubFactory(ProductFactory)
    store = factory.SubFactory(StoreFactory)
    unit_price = Decimal("100.00")
    freight = Decimal("10.00")


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    order = factory.SubFactory(OrderFactory)
    score = 5
    reviewed_at = factory.LazyAttribute(
        lambda r: r.order.purchased_at + timedelta(days=6)
    )

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        # Like the importer: keep the stored ratings of the order's products.
        super()._after_postgeneration(instance, create, results)
        if create:
            product_ratings_refresh(
                products=Product.objects.filter(order_items__order=instance.order)
            )


class StockLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockLevel

    store = factory.SubFactory(StoreFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = 10
