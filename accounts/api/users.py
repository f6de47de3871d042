"""Endpoints under /api/usuarios/: user list (staff), own record, changes."""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import filters, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.api.filters import UserFilter
from accounts.api.serializers import (
    ErrorOutputSerializer,
    UserActiveInputSerializer,
    UserOutputSerializer,
    UserTiersInputSerializer,
)
from accounts.permissions import (
    TIER_ASSIGN,
    USER_MANAGE,
    HasCapability,
    user_sees_all,
)
from dropi.exceptions import ApplicationError

ERROR = OpenApiResponse(ErrorOutputSerializer)
ORDERING_FIELDS = ["email", "full_name", "date_joined", "last_login"]
ALLOWED_PARAMS = {"page", "page_size", "search", "ordering", *UserFilter.base_filters}


def users_visible_to(user):
    """Staff holding ``accounts.view_user`` see everyone; others themselves."""
    queryset = selectors.user_list()
    if user_sees_all(user, "accounts.view_user"):
        return queryset
    return queryset.filter(pk=user.pk)


@extend_schema_view(
    list=extend_schema(
        # Documented as booleans; the filter itself accepts only true/false.
        parameters=[
            OpenApiParameter("is_active", bool),
            OpenApiParameter("is_staff", bool),
        ],
        responses={
            200: UserOutputSerializer(many=True),
            400: ERROR,
            401: ERROR,
            404: OpenApiResponse(ErrorOutputSerializer, description="No such page."),
        },
    ),
    retrieve=extend_schema(
        responses={
            200: UserOutputSerializer,
            401: ERROR,
            404: ERROR,
        }
    ),
)
class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """Users: staff list and filter everyone; anyone reads their own record.

    Another user's record answers 404 to whoever may not list users.
    """

    serializer_class = UserOutputSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = [
        DjangoFilterBackend,
        filters.SearchFilter,
        filters.OrderingFilter,
    ]
    filterset_class = UserFilter
    search_fields = ["email", "full_name"]
    ordering_fields = ORDERING_FIELDS
    ordering = ["email"]

    def get_queryset(self):
        return users_visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        unknown = set(request.query_params) - ALLOWED_PARAMS
        if unknown:
            raise ValidationError(
                {name: [_("Parámetro desconocido.")] for name in unknown}
            )
        for field in request.query_params.get("ordering", "").split(","):
            if field and field.lstrip("-") not in ORDERING_FIELDS:
                raise ValidationError({"ordering": [_("Campo de orden no permitido.")]})
        return super().list(request, *args, **kwargs)

    @extend_schema(
        responses={
            200: UserOutputSerializer,
            401: OpenApiResponse(ErrorOutputSerializer),
        }
    )
    @action(detail=False, methods=["get"], url_path="yo", url_name="me")
    def me(self, request):
        user = selectors.user_list().get(pk=request.user.pk)
        return Response(UserOutputSerializer(user).data)


def _target(request, user_id):
    user = users_visible_to(request.user).filter(pk=user_id).first()
    if user is None:
        raise ApplicationError(
            _("Usuario no encontrado."), code="not_found", status_code=404
        )
    if user.is_superuser and not request.user.is_superuser:
        raise ApplicationError(
            _("Solo un superusuario puede cambiar a otro superusuario."),
            code="permission_denied",
            status_code=403,
        )
    return user


WRITE_RESPONSES = {
    200: UserOutputSerializer,
    400: ERROR,
    401: ERROR,
    403: ERROR,
    404: ERROR,
}


def _user_response(user) -> Response:
    # Reloaded with its groups: the answer shows the stored state.
    return Response(UserOutputSerializer(selectors.user_list().get(pk=user.pk)).data)


class UserActiveApi(APIView):
    """Activate or deactivate a user (deactivation ends all their sessions)."""

    permission_classes = [HasCapability]
    required_capabilities = {"PATCH": [USER_MANAGE]}

    @extend_schema(
        request=UserActiveInputSerializer,
        responses=WRITE_RESPONSES,
    )
    def patch(self, request, user_id):
        serializer = UserActiveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = _target(request, user_id)
        if user.pk == request.user.pk:
            raise ApplicationError(
                _("No puede desactivar su propia cuenta."), code="self_change"
            )
        if serializer.validated_data["is_active"]:
            services.user_activate(user=user, actor=request.user)
        else:
            services.user_deactivate(user=user, actor=request.user)

        return _user_response(user)


class UserTiersApi(APIView):
    """Replace a user's tiers (other groups are kept)."""

    permission_classes = [HasCapability]
    required_capabilities = {"PUT": [TIER_ASSIGN]}

    @extend_schema(
        request=UserTiersInputSerializer,
        responses=WRITE_RESPONSES,
    )
    def put(self, request, user_id):
        serializer = UserTiersInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = _target(request, user_id)
        services.user_set_tiers(
            user=user, tiers=serializer.validated_data["tiers"], actor=request.user
        )

        return _user_response(user)
