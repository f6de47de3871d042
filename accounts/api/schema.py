"""OpenAPI description of the session-aware JWT authentication."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class FamilyJWTScheme(SimpleJWTScheme):
    """Bearer JWT, as simplejwt's, for ``FamilyJWTAuthentication``."""

    target_class = "accounts.authentication.FamilyJWTAuthentication"
