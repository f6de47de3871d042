"""Error responses produced outside DRF views, in the API's one shape."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer an unknown URL under ``/api/`` with the JSON error shape.

    Paths outside the API keep Django's HTML page.
    """
    if not request.path.startswith("/api/"):
        return page_not_found(request, exception)
    body = {"error": {"code": "not_found", "message": _("No encontrado.")}}

    return JsonResponse(body, status=404)
