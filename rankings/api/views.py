"""Ranking endpoints: the latest (or a dated) published run, and history.

Runs of the default vertical only; a run is chosen by ``?as_of=`` (the
latest published run on or before that day) and ``?window_days=``.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from dropi.api.schema import PRIVATE_ERRORS
from dropi.api.views import GuardedViewSet
from rankings.api.permissions import CanReadRankings
from rankings.api.serializers import (
    RankingEntryOutputSerializer,
    RankingHistoryOutputSerializer,
)
from rankings.models import RankingEntry, RankingKind, RankingRun
from rankings.selectors import ranking_entry_list, ranking_run_published_list


class RunQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False, input_formats=["%Y-%m-%d"])
    window_days = serializers.IntegerField(required=False, min_value=1, max_value=3660)


RUN_PARAMETERS = [
    OpenApiParameter(
        "as_of",
        OpenApiTypes.DATE,
        description="Latest published run on or before this day (YYYY-MM-DD).",
    ),
    OpenApiParameter("window_days", OpenApiTypes.INT, description="Window length."),
]


def _published_runs(kind: str, request: Request) -> QuerySet[RankingRun]:
    query = RunQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    runs = ranking_run_published_list(
        kind=kind, window_days=query.validated_data.get("window_days")
    )
    as_of = query.validated_data.get("as_of")

    return runs.filter(as_of__lte=as_of) if as_of else runs


class _RankingViewSet(GuardedViewSet):
    permission_classes = [CanReadRankings]
    kind: str
    entity_field: str

    def get_queryset(self) -> QuerySet[RankingEntry]:
        if getattr(self, "swagger_fake_view", False):
            return RankingEntry.objects.none()
        run = _published_runs(self.kind, self.request).first()
        if run is None:
            raise NotFound(_("No hay un ranking publicado para esa fecha."), "no_run")
        return ranking_entry_list(run=run).select_related("run")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        data = RankingEntryOutputSerializer(page, many=True).data

        return self.get_paginated_response(data)

    def _history(self, request: Request, entity_id: str) -> Response:
        entries = (
            RankingEntry.objects.filter(
                run__in=_published_runs(self.kind, request),
                **{f"{self.entity_field}_id": _whole_number(entity_id)},
            )
            .select_related("run")
            .order_by("-run__as_of", "-run__finished_at")
        )
        page = self.paginate_queryset(entries)
        data = RankingHistoryOutputSerializer(page, many=True).data

        return self.get_paginated_response(data)


def _whole_number(raw: str) -> int:
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        raise NotFound()
    return int(raw)


def _list_schema(kind_label: str):
    return extend_schema(
        tags=["rankings"],
        summary=f"Entries of the latest published {kind_label} ranking",
        parameters=RUN_PARAMETERS,
        responses={200: RankingEntryOutputSerializer(many=True), **PRIVATE_ERRORS},
    )


def _history_schema(kind_label: str):
    return extend_schema(
        tags=["rankings"],
        summary=f"One {kind_label}'s rank and score over published runs",
        parameters=[
            OpenApiParameter(
                "id",
                OpenApiTypes.INT,
                OpenApiParameter.PATH,
                description=f"The {kind_label}'s id.",
            ),
            *RUN_PARAMETERS,
        ],
        responses={
            200: RankingHistoryOutputSerializer(many=True),
            **PRIVATE_ERRORS,
        },
    )


class SellerRankingViewSet(_RankingViewSet):
    """Sellers (stores) ranked, and one store's history."""

    kind = RankingKind.SELLERS
    entity_field = "store"

    @_list_schema("seller")
    def list(self, request: Request) -> Response:
        return super().list(request)

    @_history_schema("seller")
    @action(detail=True, methods=["get"], url_path="historial")
    def history(self, request: Request, pk: str) -> Response:
        return self._history(request, pk)


class ProductRankingViewSet(_RankingViewSet):
    """Products ranked, and one product's history."""

    kind = RankingKind.PRODUCTS
    entity_field = "product"

    @_list_schema("product")
    def list(self, request: Request) -> Response:
        return super().list(request)

    @_history_schema("product")
    @action(detail=True, methods=["get"], url_path="historial")
    def history(self, request: Request, pk: str) -> Response:
        return self._history(request, pk)
