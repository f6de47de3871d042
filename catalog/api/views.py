"""Catalog endpoints: stores, products, orders and reviews.

Reads are viewsets over selectors; each write action validates its input
serializer, calls one service and renders the output serializer.
"""

from collections.abc import Callable
from typing import cast

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.models import User
from catalog import permissions as perms
from catalog import selectors, services
from catalog.api import serializers as s
from catalog.api.filters import OrderFilter, ProductFilter, ReviewFilter, StoreFilter
from catalog.api.permissions import (
    ActionPermission,
    CanActOnOrder,
    CanManageCatalogObject,
    refuse_price_controls_unless_staff,
)
from crm.selectors import customer_get_for_user
from dropi.api.schema import PRIVATE_ERRORS, PUBLIC_READ_ERRORS, PUBLIC_WRITE_ERRORS
from dropi.api.views import GuardedViewSet


def _public_reads(output, tag: str):
    return extend_schema_view(
        list=extend_schema(tags=[tag], responses={200: output, **PUBLIC_READ_ERRORS}),
        retrieve=extend_schema(
            tags=[tag], responses={200: output, **PUBLIC_READ_ERRORS}
        ),
    )


def _write(input_serializer, output, tag: str, created: bool = False):
    code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return extend_schema(
        tags=[tag],
        request=input_serializer,
        responses={code: output, **PUBLIC_WRITE_ERRORS},
    )


@_public_reads(s.StoreOutputSerializer, "tiendas")
class StoreViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Stores: anyone browses; sellers open and edit their own."""

    permission_classes = [ActionPermission, CanManageCatalogObject]
    public_actions = ("list", "retrieve")
    action_permissions = {
        "create": perms.STORE_ADD,
        "partial_update": perms.STORE_CHANGE,
    }
    serializer_class = s.StoreOutputSerializer
    filterset_class = StoreFilter

    def get_queryset(self):
        if self.action == "partial_update":
            return selectors.store_list_for_management()
        return selectors.store_list()

    @_write(s.StoreCreateInputSerializer, s.StoreOutputSerializer, "tiendas", True)
    def create(self, request):
        data = s.StoreCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)

        store = services.store_create(owner=request.user, **data.validated_data)

        return Response(
            s.StoreOutputSerializer(store).data, status=status.HTTP_201_CREATED
        )

    @_write(s.StoreUpdateInputSerializer, s.StoreOutputSerializer, "tiendas")
    def partial_update(self, request, pk=None):
        data = s.StoreUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        store = self.get_object()

        store = services.store_update(store=store, data=data.validated_data)

        return Response(s.StoreOutputSerializer(store).data)


@_public_reads(s.ProductOutputSerializer, "productos")
class ProductViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Products: anyone browses; sellers and staff manage them."""

    permission_classes = [ActionPermission, CanManageCatalogObject]
    public_actions = ("list", "retrieve", "prices", "offer")
    action_permissions = {
        "create": perms.PRODUCT_ADD,
        "partial_update": perms.PRODUCT_CHANGE,
        "price_change": perms.PRODUCT_CHANGE,
    }
    serializer_class = s.ProductOutputSerializer
    filterset_class = ProductFilter

    def get_queryset(self):
        if self.action in ("partial_update", "price_change"):
            return selectors.product_list_for_management()
        return selectors.product_list()

    @_write(
        s.ProductCreateInputSerializer,
        s.ProductWriteOutputSerializer,
        "productos",
        True,
    )
    def create(self, request):
        data = s.ProductCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        store = values.pop("store")
        if not (request.user.is_staff or store.owner_id == request.user.pk):
            raise PermissionDenied(_("Solo puede publicar en sus propias tiendas."))
        refuse_price_controls_unless_staff(
            request.user, {k: v for k, v in values.items() if v is not None}
        )

        product = services.product_create(
            store=store, created_by=request.user, **values
        )

        return Response(
            s.ProductWriteOutputSerializer(product).data,
            status=status.HTTP_201_CREATED,
        )

    @_write(s.ProductUpdateInputSerializer, s.ProductWriteOutputSerializer, "productos")
    def partial_update(self, request, pk=None):
        data = s.ProductUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        product = self.get_object()
        refuse_price_controls_unless_staff(request.user, data.validated_data)

        product = services.product_update(product=product, data=data.validated_data)

        return Response(s.ProductWriteOutputSerializer(product).data)

    @extend_schema(
        tags=["productos"],
        responses={200: s.PriceChangeOutputSerializer(many=True), **PUBLIC_READ_ERRORS},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="precios",
        filterset_class=None,
    )
    def prices(self, request, pk=None):
        """Price history of the product, newest first."""
        product = self.get_object()
        history = selectors.product_price_history(product=product)

        page = self.paginate_queryset(history)
        data = s.PriceChangeOutputSerializer(page, many=True).data

        return self.get_paginated_response(data)

    @_write(
        s.PriceChangeInputSerializer, s.PriceChangeOutputSerializer, "productos", True
    )
    @prices.mapping.post
    def price_change(self, request, pk=None):
        """Change the list price within the floor and maximum discount."""
        data = s.PriceChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        product = self.get_object()

        change = services.product_price_change(
            product=product,
            new_price=data.validated_data["price"],
            reason=data.validated_data["reason"],
            changed_by=request.user,
        )

        return Response(
            s.PriceChangeOutputSerializer(change).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        tags=["productos"],
        responses={200: s.OfferOutputSerializer, **PUBLIC_READ_ERRORS},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="oferta",
        filterset_class=None,
    )
    def offer(self, request, pk=None):
        """Return the offer running now (404, code ``no_offer``, if none)."""
        product = self.get_object()

        offer = selectors.product_current_offer(product=product)
        if offer is None:
            raise NotFound(_("El producto no tiene una oferta vigente."), "no_offer")

        return Response(s.OfferOutputSerializer(offer).data)


def _transition_schema(summary: str):
    return extend_schema(
        tags=["pedidos"],
        summary=summary,
        request=None,
        responses={200: s.OrderOutputSerializer, **PRIVATE_ERRORS},
    )


@extend_schema_view(
    list=extend_schema(
        tags=["pedidos"],
        responses={200: s.OrderOutputSerializer, **PRIVATE_ERRORS},
    ),
    retrieve=extend_schema(
        tags=["pedidos"],
        responses={200: s.OrderOutputSerializer, **PRIVATE_ERRORS},
    ),
)
class OrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Orders: each user sees the ones it bought or sold; staff see all."""

    permission_classes = [IsAuthenticated, ActionPermission, CanActOnOrder]
    action_permissions = {
        "list": perms.ORDER_VIEW,
        "retrieve": perms.ORDER_VIEW,
        "create": perms.ORDER_ADD,
    }
    serializer_class = s.OrderOutputSerializer
    filterset_class = OrderFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.order_list_for_user(user=None)
        # IsAuthenticated runs first: the user is a signed-in User here.
        return selectors.order_list_for_user(user=cast(User, self.request.user))

    @extend_schema(
        tags=["pedidos"],
        request=s.OrderPlaceInputSerializer,
        responses={201: s.OrderOutputSerializer, **PRIVATE_ERRORS},
    )
    def create(self, request):
        """Place an order for the signed-in customer and reserve its stock."""
        data = s.OrderPlaceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        lines = [services.OrderLine(**line) for line in values.pop("items")]

        order = services.order_place_for_user(
            user=request.user, lines=lines, shipping=values
        )

        order = self.get_queryset().get(pk=order.pk)
        return Response(
            s.OrderOutputSerializer(order).data, status=status.HTTP_201_CREATED
        )

    def _transition(self, service: Callable) -> Response:
        order = self.get_object()

        service(order=order, actor=self.request.user)

        return Response(s.OrderOutputSerializer(self.get_object()).data)

    @_transition_schema("Mark a placed order as paid")
    @action(detail=True, methods=["post"], url_path="pagar")
    def pay(self, request, pk=None):
        return self._transition(services.order_pay)

    @_transition_schema("Ship a paid order (refused while held by fraud review)")
    @action(detail=True, methods=["post"], url_path="enviar")
    def ship(self, request, pk=None):
        return self._transition(services.order_ship)

    @_transition_schema("Mark a shipped order as delivered")
    @action(detail=True, methods=["post"], url_path="entregar")
    def deliver(self, request, pk=None):
        return self._transition(services.order_deliver)

    @_transition_schema("Cancel an order not yet shipped; releases its stock")
    @action(detail=True, methods=["post"], url_path="cancelar")
    def cancel(self, request, pk=None):
        return self._transition(services.order_cancel)

    @_transition_schema("Return a delivered order; its units go back to stock")
    @action(detail=True, methods=["post"], url_path="devolver")
    def return_(self, request, pk=None):
        return self._transition(services.order_return)


@_public_reads(s.ReviewOutputSerializer, "resenas")
class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Reviews: public to read; a customer reviews what it received, once."""

    permission_classes = [ActionPermission]
    public_actions = ("list", "retrieve")
    action_permissions = {"create": perms.REVIEW_ADD}
    serializer_class = s.ReviewOutputSerializer
    filterset_class = ReviewFilter

    def get_queryset(self):
        return selectors.review_list()

    @_write(s.ReviewCreateInputSerializer, s.ReviewOutputSerializer, "resenas", True)
    def create(self, request):
        data = s.ReviewCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        customer = customer_get_for_user(user=request.user)

        review = services.review_create(customer=customer, **data.validated_data)

        return Response(
            s.ReviewOutputSerializer(review).data, status=status.HTTP_201_CREATED
        )
