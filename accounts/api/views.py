"""Endpoints under /api/auth/: login, refresh, logout, me, sessions, TOTP."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.api.serializers import (
    ErrorOutputSerializer,
    LoginInputSerializer,
    MeOutputSerializer,
    RefreshInputSerializer,
    SessionOutputSerializer,
    SignupInputSerializer,
    SignupOutputSerializer,
    TokenPairOutputSerializer,
    TotpConfirmInputSerializer,
    TotpStartInputSerializer,
    TotpStartOutputSerializer,
)
from accounts.api.throttles import LoginRateThrottle
from accounts.lockout import LOCKOUT_MARK
from accounts.models import RevokeReason
from accounts.permissions import user_capabilities
from dropi.exceptions import ApplicationError

ERRORS = {
    400: OpenApiResponse(ErrorOutputSerializer, description="Invalid input."),
    401: OpenApiResponse(ErrorOutputSerializer, description="Not authenticated."),
    429: OpenApiResponse(ErrorOutputSerializer, description="Too many requests."),
}


def _refusal_response(refusal: services.LoginRefused) -> Response:
    body: dict = {"code": refusal.code, "message": refusal.message}
    headers = {}
    if refusal.retry_after is not None:
        body["retry_after_seconds"] = refusal.retry_after
        headers["Retry-After"] = str(refusal.retry_after)
    # The signals and points behind a refusal stay in fraud.LoginAttempt:
    # telling the client would show an attacker how to stay under them.
    response = Response({"error": body}, status=refusal.status_code, headers=headers)
    if refusal.code == "locked":
        # Keeps AxesMiddleware from replacing this answer (accounts.lockout).
        setattr(response, LOCKOUT_MARK, True)

    return response


class LoginApi(APIView):
    """Exchange email and password (and a TOTP code when asked) for tokens."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, LoginRateThrottle]

    @extend_schema(
        request=LoginInputSerializer,
        responses={
            200: TokenPairOutputSerializer,
            **ERRORS,
            403: OpenApiResponse(
                ErrorOutputSerializer,
                description=(
                    "login_blocked (fraud block, with Retry-After), "
                    "totp_enrollment_required (staff without TOTP), "
                    "challenge_refused (risky attempt, no TOTP device), "
                    "totp_reset_required (the stored TOTP secret cannot be "
                    "decrypted: an admin must reset the device)."
                ),
            ),
            429: OpenApiResponse(
                ErrorOutputSerializer,
                description="locked: too many failures for this account from "
                "this address; Retry-After says when to retry.",
            ),
        },
        auth=[],
    )
    def post(self, request):
        serializer = LoginInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            pair = services.auth_login(
                request=request._request,
                email=data["email"],
                password=data["password"],
                otp=data.get("otp", ""),
            )
        except services.LoginRefused as refusal:
            return _refusal_response(refusal)

        return Response(TokenPairOutputSerializer(pair).data)


class SignupApi(APIView):
    """Open a customer account with email and password."""

    authentication_classes = []
    permission_classes = [AllowAny]
    # Shares the per-address ``login`` budget (THROTTLE_LOGIN).
    throttle_classes = [AnonRateThrottle, LoginRateThrottle]

    @extend_schema(
        request=SignupInputSerializer,
        responses={
            201: SignupOutputSerializer,
            400: OpenApiResponse(
                ErrorOutputSerializer,
                description=(
                    "Invalid input, a password the validators refuse (field "
                    "errors under `password`) or email_taken."
                ),
            ),
            403: OpenApiResponse(
                ErrorOutputSerializer,
                description="signup_blocked: the email domain or the client "
                "address is on the fraud blocklist.",
            ),
            429: ERRORS[429],
        },
        auth=[],
    )
    def post(self, request):
        serializer = SignupInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = services.user_signup(
            email=data["email"],
            password=data["password"],
            full_name=data["full_name"],
            address=services.client_info(request._request).ip_address,
        )

        return Response(
            SignupOutputSerializer(user).data, status=status.HTTP_201_CREATED
        )


class RefreshApi(APIView):
    """Rotate a refresh token; a reused one ends its whole session."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, LoginRateThrottle]

    @extend_schema(
        request=RefreshInputSerializer,
        responses={200: TokenPairOutputSerializer, **ERRORS},
        auth=[],
    )
    def post(self, request):
        serializer = RefreshInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pair = services.token_family_rotate(
            raw_refresh=serializer.validated_data["refresh"],
            client=services.client_info(request._request),
        )

        return Response(TokenPairOutputSerializer(pair).data)


class LogoutApi(APIView):
    """End the session the access token belongs to."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None, **ERRORS})
    def post(self, request):
        family = selectors.session_get_for_user(
            user=request.user, session_id=request.auth["family"]
        )
        if family is not None:
            services.token_family_revoke(family=family, reason=RevokeReason.LOGOUT)

        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllApi(APIView):
    """End every session of the signed-in user, this one included."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None, **ERRORS})
    def post(self, request):
        services.token_family_revoke_all(
            user=request.user, reason=RevokeReason.LOGOUT_ALL
        )

        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    """The signed-in user, tiers, groups and capabilities."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeOutputSerializer, **ERRORS})
    def get(self, request):
        user = request.user
        data = {
            "user": user,
            "tiers": selectors.user_tier_names(user=user),
            "groups": sorted(g.name for g in user.groups.all()),
            "capabilities": user_capabilities(user),
            "totp_enabled": selectors.user_has_confirmed_totp(user=user),
        }

        return Response(MeOutputSerializer(data).data)


class SessionListApi(APIView):
    """The signed-in user's open sessions."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: SessionOutputSerializer(many=True), **ERRORS})
    def get(self, request):
        sessions = selectors.session_list_for_user(user=request.user)[:100]
        context = {"current_family_id": str(request.auth["family"])}

        return Response(
            SessionOutputSerializer(sessions, many=True, context=context).data
        )


class SessionEndApi(APIView):
    """End one of the signed-in user's sessions (404 for anyone else's)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None, **ERRORS, 404: ErrorOutputSerializer})
    def delete(self, request, session_id):
        family = selectors.session_get_for_user(
            user=request.user, session_id=session_id
        )
        if family is None:
            raise ApplicationError(
                _("Sesión no encontrada."), code="not_found", status_code=404
            )
        services.token_family_revoke(family=family, reason=RevokeReason.ENDED_BY_USER)

        return Response(status=status.HTTP_204_NO_CONTENT)


class TotpStartApi(APIView):
    """Start TOTP enrolment (password required): returns the otpauth:// URI."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [LoginRateThrottle]

    @extend_schema(
        request=TotpStartInputSerializer,
        responses={
            201: TotpStartOutputSerializer,
            **ERRORS,
            403: OpenApiResponse(
                ErrorOutputSerializer, description="password_incorrect"
            ),
            409: ErrorOutputSerializer,
        },
    )
    def post(self, request):
        serializer = TotpStartInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        uri = services.totp_device_start_for_self(
            user=request.user, password=serializer.validated_data["password"]
        )

        return Response({"provisioning_uri": uri}, status=status.HTTP_201_CREATED)


class TotpConfirmApi(APIView):
    """Confirm TOTP enrolment with a first code from the app."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [LoginRateThrottle]

    @extend_schema(
        request=TotpConfirmInputSerializer,
        responses={204: None, **ERRORS, 409: ErrorOutputSerializer},
    )
    def post(self, request):
        serializer = TotpConfirmInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.totp_device_confirm(
            user=request.user, code=serializer.validated_data["code"]
        )

        return Response(status=status.HTTP_204_NO_CONTENT)
