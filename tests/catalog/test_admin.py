from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import User
from catalog.importers import olist_import
from catalog.models import (
    Category,
    Offer,
    Order,
    OrderStatus,
    PriceChange,
    Product,
    ProductView,
    Review,
    StockLevel,
    StockMovement,
    StockMovementReason,
    Vertical,
)
from tests.catalog.factories import OrderItemFactory, ProductFactory
from tests.catalog.importers.olist_files import olist_files_write

pytestmark = pytest.mark.django_db

CATALOG_MODELS = [m for m in admin.site._registry if m._meta.app_label == "catalog"]


@pytest.fixture
def admin_client(client):
    client.force_login(
        User.objects.create_superuser(email="jefe@example.com", password="S3guro!pass")
    )
    return client


@pytest.fixture
def shop(tmp_path):
    """Import a small shop; add a row to each model the import leaves empty."""
    olist_import(directory=olist_files_write(tmp_path))
    product = Product.objects.get(source_id="p1")
    store = product.order_items.first().store
    StockLevel.objects.create(store=store, product=product, quantity=5)
    StockMovement.objects.create(
        store=store,
        product=product,
        quantity_delta=5,
        reason=StockMovementReason.RESTOCK,
    )
    Offer.objects.create(
        product=product,
        store=store,
        price=90,
        starts_at="2026-12-01T00:00:00Z",
        ends_at="2026-12-10T00:00:00Z",
    )
    ProductView.objects.create(product=product, date=date(2026, 12, 1), count=3)


def _url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def test_every_catalog_model_is_registered():
    assert {m.__name__ for m in CATALOG_MODELS} == {
        "Vertical",
        "Category",
        "Store",
        "Product",
        "StockLevel",
        "Order",
        "OrderItem",
        "Payment",
        "Review",
        "PriceChange",
        "Offer",
        "StockMovement",
        "ProductView",
    }


@pytest.mark.parametrize("model", CATALOG_MODELS, ids=lambda m: m.__name__)
@pytest.mark.usefixtures("shop")
def test_changelist_search_and_change_page_render(admin_client, model):
    obj = model._default_manager.first()

    listing = admin_client.get(_url(model, "changelist"))
    searched = admin_client.get(_url(model, "changelist"), {"q": "p1"})
    page = admin_client.get(_url(model, "change", obj.pk))

    assert listing.status_code == 200
    assert listing.context["cl"].result_count == model._default_manager.count()
    assert searched.status_code == 200
    assert page.status_code == 200


@pytest.mark.usefixtures("shop")
def test_order_page_shows_items_and_payments_inline(admin_client):
    order = Order.objects.get(source_id="o4")

    page = admin_client.get(_url(Order, "change", order.pk))

    formsets = {
        f.formset.prefix: f.formset for f in page.context["inline_admin_formsets"]
    }
    assert formsets["items"].queryset.count() == 2
    assert formsets["payments"].queryset.count() == 2
    assert b"1999.90" in page.content


@pytest.mark.usefixtures("shop")
def test_order_list_query_count_does_not_grow_with_rows(
    admin_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        admin_client.get(_url(Order, "changelist"))


@pytest.mark.usefixtures("shop")
def test_review_text_is_moderated_but_score_stays(admin_client):
    review = Review.objects.get(source_id="r1")

    response = admin_client.post(
        _url(Review, "change", review.pk),
        {
            "title": "Recomendo",
            "message": "[moderado]",
            "score": 1,
            "answered_at_0": "",
        },
    )

    review.refresh_from_db()
    assert response.status_code == 302
    assert review.message == "[moderado]"
    assert review.score == 5


@pytest.mark.usefixtures("shop")
def test_ledgers_cannot_be_added_or_changed(admin_client):
    movement = StockMovement.objects.get()

    assert admin_client.get(_url(StockMovement, "add")).status_code == 403
    assert admin_client.get(_url(Review, "add")).status_code == 403
    page = admin_client.get(_url(StockMovement, "change", movement.pk))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]


@pytest.mark.usefixtures("shop")
def test_category_vertical_is_editable_from_the_list(admin_client):
    category = Category.objects.get(source_id="telefonia")
    home = Vertical.objects.get(slug="hogar")
    listing = admin_client.get(_url(Category, "changelist"))
    data = {
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "3",
        "_save": "Guardar",
    }
    for index, row in enumerate(listing.context["cl"].result_list):
        data[f"form-{index}-id"] = str(row.pk)
        data[f"form-{index}-vertical"] = str(
            home.pk if row.pk == category.pk else row.vertical_id
        )

    response = admin_client.post(_url(Category, "changelist"), data)

    category.refresh_from_db()
    assert response.status_code == 302
    assert category.vertical == home


@pytest.mark.usefixtures("shop")
def test_source_ids_are_shown_but_not_editable(admin_client):
    product = Product.objects.get(source_id="p1")

    page = admin_client.get(_url(Product, "change", product.pk))

    form_fields = page.context["adminform"].form.fields
    assert "source_id" not in form_fields
    assert "price" not in form_fields
    assert "name" in form_fields
    assert b"p1" in page.content


def _run_action(admin_client, action, orders):
    return admin_client.post(
        _url(Order, "changelist"),
        {"action": action, "_selected_action": [order.pk for order in orders]},
        follow=True,
    )


def test_order_actions_move_the_status_through_the_lifecycle_service(admin_client):
    paid = OrderItemFactory(order__status=OrderStatus.PAID).order

    response = _run_action(admin_client, "mark_shipped", [paid])

    paid.refresh_from_db()
    assert response.status_code == 200
    assert paid.status == OrderStatus.SHIPPED
    assert paid.shipped_at is not None


def test_order_action_refuses_an_illegal_move_and_says_why(admin_client):
    delivered = OrderItemFactory(order__status=OrderStatus.DELIVERED).order

    response = _run_action(admin_client, "mark_paid", [delivered])

    delivered.refresh_from_db()
    assert delivered.status == OrderStatus.DELIVERED
    errors = [m for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1


def test_order_status_is_not_editable_in_the_change_form(admin_client):
    order = OrderItemFactory(order__status=OrderStatus.PAID).order

    page = admin_client.get(_url(Order, "change", order.pk))

    assert page.status_code == 200
    assert "status" not in page.context["adminform"].form.fields


def test_price_change_page_runs_the_price_service_and_keeps_history(admin_client):
    product = ProductFactory(price=Decimal("100.00"), price_floor=Decimal("80.00"))
    url = reverse("admin:catalog_product_price_change", args=[product.pk])

    below_floor = admin_client.post(url, {"new_price": "70.00", "reason": "x"})
    accepted = admin_client.post(url, {"new_price": "95.00", "reason": "promo"})

    product.refresh_from_db()
    assert below_floor.status_code == 200
    assert below_floor.context["form"].errors["new_price"]
    assert accepted.status_code == 302
    assert product.price == Decimal("95.00")
    change = PriceChange.objects.get(product=product)
    assert (change.old_price, change.new_price, change.reason) == (
        Decimal("100.00"),
        Decimal("95.00"),
        "promo",
    )


def test_product_change_form_links_to_the_price_page_and_price_is_read_only(
    admin_client,
):
    product = ProductFactory()

    page = admin_client.get(_url(Product, "change", product.pk))

    assert "price" not in page.context["adminform"].form.fields
    assert reverse("admin:catalog_product_price_change", args=[product.pk]) in (
        page.content.decode()
    )
