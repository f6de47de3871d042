"""JWT authentication that also checks the token's session on each request.

One indexed query per request loads the session (token family) together
with its user, replacing the user query simplejwt's own class makes, so the
check costs nothing extra: a revoked session, an inactive user or a changed
password refuse the access token at once, not when it expires.
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.utils import get_md5_hash_password

from accounts.models import TokenFamily
from accounts.tokens import FAMILY_CLAIM, FamilyAccessToken

logger = logging.getLogger(__name__)


class FamilyJWTAuthentication(JWTAuthentication):
    """Accept a ``Bearer`` access token only while its session is open.

    The validated token is available as ``request.auth``; its session id
    as ``request.auth["family"]``.
    """

    def get_validated_token(self, raw_token: bytes) -> FamilyAccessToken:
        try:
            return FamilyAccessToken(raw_token)  # type: ignore[arg-type]
        except TokenError as exc:
            raise AuthenticationFailed(
                _("El token de acceso no es válido o expiró."), code="token_not_valid"
            ) from exc

    def get_user(self, validated_token):
        try:
            family_id = uuid.UUID(str(validated_token[FAMILY_CLAIM]))
            user_id = validated_token[api_settings.USER_ID_CLAIM]
        except (KeyError, ValueError) as exc:
            raise AuthenticationFailed(
                _("El token no pertenece a ninguna sesión."), code="token_not_valid"
            ) from exc

        family = (
            TokenFamily.objects.select_related("user")
            .filter(pk=family_id, user_id=user_id)
            .first()
        )
        if family is None or family.revoked_at is not None:
            raise AuthenticationFailed(
                _("La sesión fue cerrada."), code="session_revoked"
            )
        user = family.user
        if not user.is_active:
            raise AuthenticationFailed(
                _("La cuenta está desactivada."), code="user_inactive"
            )
        if validated_token.get(
            api_settings.REVOKE_TOKEN_CLAIM
        ) != get_md5_hash_password(user.password):
            raise AuthenticationFailed(
                _("La contraseña cambió; inicie sesión de nuevo."),
                code="password_changed",
            )
        self._touch(family)

        return user

    @staticmethod
    def _touch(family: TokenFamily) -> None:
        # Written at most once a minute per session, not on every request.
        now = timezone.now()
        stale = now - timedelta(seconds=settings.DROPI_SESSION_TOUCH_SECONDS)
        if family.last_used_at < stale:
            TokenFamily.objects.filter(pk=family.pk, last_used_at__lt=stale).update(
                last_used_at=now
            )
