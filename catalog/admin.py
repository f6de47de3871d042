from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from catalog import services
from catalog.models import (
    Category,
    Offer,
    Order,
    OrderItem,
    Payment,
    PriceChange,
    Product,
    ProductView,
    Review,
    StockLevel,
    StockMovement,
    Store,
    Vertical,
)
from dropi.exceptions import ApplicationError

SOURCE_FIELDS = ("source", "source_id")


class PriceChangeForm(forms.Form):
    new_price = forms.DecimalField(
        label=_("Nuevo precio"), max_digits=14, decimal_places=2, min_value=0
    )
    reason = forms.CharField(label=_("Motivo"), max_length=255, required=False)


TIMESTAMPS = ("created_at", "updated_at")


class SourcedAdmin(admin.ModelAdmin):
    """Imported rows: the source and its id identify them, never edited."""

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple:
        own = tuple(super().get_readonly_fields(request, obj))
        return (*SOURCE_FIELDS, *own, *TIMESTAMPS)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Append-only records (ledgers, histories): looked at, never changed."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Vertical)
class VerticalAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "category_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = TIMESTAMPS

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super().get_queryset(request).annotate(category_count=Count("categories"))
        )

    @admin.display(description="categories", ordering="category_count")
    def category_count(self, obj: Vertical) -> int:
        return obj.category_count  # type: ignore[attr-defined]


@admin.register(Category)
class CategoryAdmin(SourcedAdmin):
    list_display = ("name", "name_en", "vertical", "parent", "source", "source_id")
    list_editable = ("vertical",)
    list_filter = ("vertical", "source")
    list_select_related = ("vertical", "parent")
    search_fields = ("name", "name_en", "slug", "source_id")
    autocomplete_fields = ("parent", "vertical")


@admin.register(Store)
class StoreAdmin(SourcedAdmin):
    list_display = (
        "name",
        "city",
        "state",
        "owner",
        "is_active",
        "source",
        "source_id",
    )
    list_filter = ("is_active", "source", "state")
    list_select_related = ("owner",)
    search_fields = ("name", "city", "source_id", "owner__email")
    autocomplete_fields = ("owner",)


class PriceChangeInline(ReadOnlyInline):
    model = PriceChange
    fields = ("changed_at", "old_price", "new_price", "changed_by", "reason")
    readonly_fields = fields
    ordering = ("-changed_at",)
    show_change_link = False


@admin.register(Product)
class ProductAdmin(SourcedAdmin):
    list_display = (
        "sku",
        "name",
        "category",
        "price",
        "currency",
        "is_active",
        "source",
    )
    list_filter = ("is_active", "source", "currency", "category__vertical")
    list_select_related = ("category",)
    search_fields = ("sku", "name", "source_id")
    autocomplete_fields = ("category",)
    # The price changes only through the "change price" page, which runs the
    # price service (history, floor, maximum discount).
    readonly_fields = ("price", "price_change_link")
    inlines = (PriceChangeInline,)

    def get_urls(self) -> list:
        own = [
            path(
                "<int:product_id>/precio/",
                self.admin_site.admin_view(self.price_change_view),
                name="catalog_product_price_change",
            )
        ]
        return own + super().get_urls()

    @admin.display(description=_("Cambiar precio"))
    def price_change_link(self, obj: Product) -> str:
        if obj.pk is None:
            return "-"
        url = reverse("admin:catalog_product_price_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Cambiar precio"))

    def price_change_view(self, request: HttpRequest, product_id: int) -> HttpResponse:
        product = get_object_or_404(Product, pk=product_id)
        staff = request.user
        if not (
            isinstance(staff, User) and self.has_change_permission(request, product)
        ):
            raise PermissionDenied
        form = PriceChangeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.product_price_change(
                    product=product,
                    new_price=form.cleaned_data["new_price"],
                    changed_by=staff,
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as exc:
                form.add_error("new_price", exc.message)
            else:
                self.message_user(request, _("Precio cambiado."), messages.SUCCESS)
                return redirect("admin:catalog_product_change", product.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Cambiar precio de %(product)s") % {"product": product},
            "product": product,
            "form": form,
            "opts": self.model._meta,
        }

        return TemplateResponse(request, "admin/catalog/price_change.html", context)


@admin.register(StockLevel)
class StockLevelAdmin(admin.ModelAdmin):
    list_display = ("store", "product", "quantity", "reserved", "low_stock_threshold")
    list_select_related = ("store", "product")
    search_fields = ("store__name", "product__sku", "product__name")
    raw_id_fields = ("store", "product")
    # Quantities move only through the stock ledger (StockMovement).
    readonly_fields = ("quantity", "reserved", *TIMESTAMPS)


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    fields = (
        "line_number",
        "product",
        "store",
        "quantity",
        "unit_price",
        "freight",
        "shipping_limit_at",
    )
    raw_id_fields = ("product", "store")


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    fields = ("sequential", "method", "installments", "amount")


@admin.register(Order)
class OrderAdmin(SourcedAdmin):
    list_display = (
        "__str__",
        "source_id",
        "customer",
        "status",
        "source_status",
        "purchased_at",
        "promised_delivery_at",
        "delivered_at",
        "currency",
    )
    list_filter = ("status", "source_status", "source", "currency")
    list_select_related = ("customer",)
    search_fields = ("source_id", "customer__name", "customer__email", "shipping_city")
    date_hierarchy = "purchased_at"
    raw_id_fields = ("customer",)
    # The status moves only through the lifecycle actions below, which run
    # the order services (stock ledger, fraud hold); a plain save would skip
    # those effects.
    readonly_fields = ("status", "source_status")
    inlines = (OrderItemInline, PaymentInline)
    actions = (
        "mark_paid",
        "mark_shipped",
        "mark_delivered",
        "mark_cancelled",
        "mark_returned",
    )

    def _transition(
        self,
        request: HttpRequest,
        queryset: QuerySet[Order],
        service: Callable[..., Order],
    ) -> None:
        moved = 0
        for order in queryset:
            try:
                service(order=order, actor=request.user)
            except (ApplicationError, ValidationError) as exc:
                message = (
                    exc.message
                    if isinstance(exc, ApplicationError)
                    else "; ".join(exc.messages)
                )
                self.message_user(request, f"{order}: {message}", level=messages.ERROR)
            else:
                moved += 1
        if moved:
            self.message_user(
                request,
                _("%(count)d pedido(s) actualizados.") % {"count": moved},
                level=messages.SUCCESS,
            )

    @admin.action(description=_("Marcar como pagados"), permissions=["change"])
    def mark_paid(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        self._transition(request, queryset, services.order_pay)

    @admin.action(description=_("Marcar como enviados"), permissions=["change"])
    def mark_shipped(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        self._transition(request, queryset, services.order_ship)

    @admin.action(description=_("Marcar como entregados"), permissions=["change"])
    def mark_delivered(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        self._transition(request, queryset, services.order_deliver)

    @admin.action(description=_("Cancelar"), permissions=["change"])
    def mark_cancelled(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        self._transition(request, queryset, services.order_cancel)

    @admin.action(description=_("Registrar devolución"), permissions=["change"])
    def mark_returned(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        self._transition(request, queryset, services.order_return)


@admin.register(OrderItem)
class OrderItemAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "order",
        "product",
        "store",
        "quantity",
        "unit_price",
        "freight",
    )
    list_filter = ("order__status",)
    list_select_related = ("order", "product", "store")
    search_fields = ("order__source_id", "product__sku", "store__name")
    raw_id_fields = ("order", "product", "store")
    readonly_fields = TIMESTAMPS


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "order",
        "sequential",
        "method",
        "installments",
        "amount",
    )
    list_filter = ("method",)
    list_select_related = ("order",)
    search_fields = ("order__source_id",)
    raw_id_fields = ("order",)
    readonly_fields = TIMESTAMPS


@admin.register(Review)
class ReviewAdmin(SourcedAdmin):
    """Staff may moderate a review's text; its score and order are facts."""

    list_display = ("__str__", "order", "score", "title", "reviewed_at", "source")
    list_filter = ("score", "source")
    list_select_related = ("order", "product")
    search_fields = ("title", "message", "source_id", "order__source_id")
    date_hierarchy = "reviewed_at"
    raw_id_fields = ("order", "product")
    readonly_fields = ("order", "product", "score", "reviewed_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Reviews come from customers (API) or imports, not from staff.
        return False


@admin.register(PriceChange)
class PriceChangeAdmin(ReadOnlyAdmin):
    list_display = ("product", "old_price", "new_price", "changed_by", "changed_at")
    list_select_related = ("product", "changed_by")
    search_fields = ("product__sku", "product__name", "reason")
    date_hierarchy = "changed_at"


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ("product", "store", "price", "starts_at", "ends_at")
    list_select_related = ("product", "store")
    search_fields = ("product__sku", "product__name", "store__name")
    raw_id_fields = ("product", "store")
    date_hierarchy = "starts_at"
    readonly_fields = TIMESTAMPS


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "store",
        "product",
        "quantity_delta",
        "reserved_delta",
        "reason",
        "order",
        "created_by",
    )
    list_filter = ("reason",)
    list_select_related = ("store", "product", "order", "created_by")
    search_fields = ("product__sku", "store__name", "note")
    date_hierarchy = "created_at"


@admin.register(ProductView)
class ProductViewAdmin(ReadOnlyAdmin):
    list_display = ("product", "date", "count")
    list_select_related = ("product",)
    search_fields = ("product__sku", "product__name")
    date_hierarchy = "date"
