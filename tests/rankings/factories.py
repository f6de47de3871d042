from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.management import call_command

from catalog.models import Order, OrderStatus, Product, Store
from rankings.models import RankingKind, RankingWeightSet
from tests.catalog.factories import (
    OrderFactory,
    OrderItemFactory,
    ProductFactory,
    ReviewFactory,
)

ASUNCION = ZoneInfo("America/Asuncion")
AS_OF = date(2026, 3, 1)
# 90 days before AS_OF: the window is [2025-12-01, 2026-03-01) local time.
WINDOW_START = date(2025, 12, 1)


def local(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ASUNCION)


def sale(
    *,
    store: Store,
    purchased_at: datetime,
    prices: tuple[str, ...] = ("100.00",),
    quantity: int = 1,
    status: str = OrderStatus.DELIVERED,
    late_days: int | None = -2,
    review: int | None = None,
    product: Product | None = None,
) -> Order:
    """Create an order whose items are all sold by ``store``.

    ``late_days`` is delivery day minus promised day (negative = early,
    None = not delivered); the promised day starts at midnight local time,
    as Olist's estimated dates do.
    """
    promised = datetime.combine(
        (purchased_at + timedelta(days=7)).date(), time.min, tzinfo=ASUNCION
    )
    delivered = None
    if late_days is not None and status == OrderStatus.DELIVERED:
        delivered = promised + timedelta(days=late_days, hours=15)
    order = OrderFactory(
        purchased_at=purchased_at,
        status=status,
        promised_delivery_at=promised,
        delivered_at=delivered,
    )
    product = product or ProductFactory()
    for line, price in enumerate(prices, start=1):
        OrderItemFactory(
            order=order,
            line_number=line,
            store=store,
            product=product,
            unit_price=Decimal(price),
            quantity=quantity,
        )
    if review is not None:
        ReviewFactory(order=order, score=review)
    return order


def set_weights(kind: str = RankingKind.SELLERS, **values) -> RankingWeightSet:
    """Give the kind's default weight set exactly these values (others 0)."""
    weight_set = RankingWeightSet.objects.get(kind=kind, vertical=None)
    for name in ("revenue", "orders", "units", "rating", "on_time", "cancellation"):
        setattr(weight_set, f"weight_{name}", Decimal(values.pop(name, "0")))
    for field, value in values.items():
        setattr(weight_set, field, value)
    weight_set.save()
    return weight_set


def command_output(name: str, *args: str) -> str:
    """Run a management command and return what it wrote to stdout."""
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()
