"""JWT classes bound to a token family (one login session).

Both tokens carry a ``family`` claim. Refresh tokens are not written to
simplejwt's outstanding-token table (it stores raw tokens); the family row
keeps the one jti that may be used next instead.

A pair is a pure function of (user, family, jti, issued-at): HS256
signatures are deterministic, so the pair handed out by a rotation can be
minted again, byte for byte, for a racing request in the grace window
without storing any token.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken, Token
from rest_framework_simplejwt.utils import get_md5_hash_password

FAMILY_CLAIM = "family"


class FamilyAccessToken(AccessToken):
    """A short-lived access token; ``family`` names its session."""


class FamilyRefreshToken(Token):
    """A single-use refresh token of one family (never blacklisted itself)."""

    token_type = "refresh"  # noqa: S105 - a type name, not a secret
    lifetime = api_settings.REFRESH_TOKEN_LIFETIME


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    family_id: uuid.UUID


def access_lifetime() -> timedelta:
    return api_settings.ACCESS_TOKEN_LIFETIME


def refresh_lifetime() -> timedelta:
    return api_settings.REFRESH_TOKEN_LIFETIME


def _payload(
    *, token_type: str, jti: str, issued_at: int, lifetime: timedelta, user, family_id
) -> dict:
    # Fixed key order: the encoded token must be identical on re-mint.
    payload = {
        api_settings.TOKEN_TYPE_CLAIM: token_type,
        "exp": issued_at + int(lifetime.total_seconds()),
        "iat": issued_at,
        api_settings.JTI_CLAIM: jti,
        api_settings.USER_ID_CLAIM: str(getattr(user, api_settings.USER_ID_FIELD)),
        FAMILY_CLAIM: str(family_id),
    }
    if api_settings.CHECK_REVOKE_TOKEN:
        payload[api_settings.REVOKE_TOKEN_CLAIM] = get_md5_hash_password(user.password)
    return payload


def token_pair_mint(
    *, user, family_id: uuid.UUID, jti: str, issued_at: int
) -> TokenPair:
    """Encode the refresh token ``jti`` and its access token.

    The access token's jti is derived from the refresh jti, so minting twice
    with the same arguments yields the same two strings.
    """
    refresh = FamilyRefreshToken()
    refresh.payload = _payload(
        token_type=FamilyRefreshToken.token_type,
        jti=jti,
        issued_at=issued_at,
        lifetime=refresh_lifetime(),
        user=user,
        family_id=family_id,
    )
    access = FamilyAccessToken()
    access.payload = _payload(
        token_type=FamilyAccessToken.token_type,
        jti=uuid.uuid5(family_id, jti).hex,
        issued_at=issued_at,
        lifetime=access_lifetime(),
        user=user,
        family_id=family_id,
    )

    return TokenPair(access=str(access), refresh=str(refresh), family_id=family_id)
