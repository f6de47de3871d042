"""OpenAPI pieces shared by every endpoint: the error component.

``error_responses(400, 404)`` documents those statuses with the one error
shape that ``dropi.api.exception_handlers`` produces.
"""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorBody = inline_serializer(
    name="ErrorBody",
    fields={
        "code": serializers.CharField(),
        "message": serializers.CharField(),
        "fields": serializers.DictField(
            required=False, help_text="Field name to its errors (validation only)."
        ),
        "details": serializers.DictField(required=False),
        "retry_after_seconds": serializers.IntegerField(required=False),
    },
)

Error = inline_serializer(name="Error", fields={"error": ErrorBody})

_DESCRIPTIONS = {
    400: "Invalid input or a business rule refused the operation.",
    401: "Not signed in, or the token is invalid or expired.",
    403: "Signed in but not allowed.",
    404: "Not found (also an invalid or out-of-range page).",
    415: "The request body's content type is not JSON, form or multipart.",
    429: "Too many requests; retry later.",
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """Map each status to the shared error component."""
    return {
        status: OpenApiResponse(response=Error, description=_DESCRIPTIONS[status])
        for status in statuses
    }


# Public endpoints still answer 401 to a malformed or expired token.
PUBLIC_READ_ERRORS = error_responses(400, 401, 404, 429)
PUBLIC_WRITE_ERRORS = error_responses(400, 401, 403, 404, 415, 429)
PRIVATE_ERRORS = error_responses(400, 401, 403, 404, 415, 429)
