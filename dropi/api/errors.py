"""Error responses produced outside DRF views, in the API's one shape."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import bad_request as html_bad_request
from django.views.defaults import page_not_found
from django.views.defaults import server_error as html_server_error


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer an unknown URL under ``/api/`` with the JSON error shape.

    Paths outside the API keep Django's HTML page.
    """
    if not request.path.startswith("/api/"):
        return page_not_found(request, exception)
    body = {"error": {"code": "not_found", "message": _("No encontrado.")}}

    return JsonResponse(body, status=404)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer a request Django refused with the JSON shape under ``/api/``.

    Django refuses some requests before any view runs (a body over
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``, suspicious headers).
    """
    if not request.path.startswith("/api/"):
        return html_bad_request(request, exception)
    body = {"error": {"code": "bad_request", "message": _("Solicitud inválida.")}}

    return JsonResponse(body, status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    """Answer an unexpected failure under ``/api/`` with the JSON shape."""
    if not request.path.startswith("/api/"):
        return html_server_error(request)
    body = {"error": {"code": "server_error", "message": _("Error interno.")}}

    return JsonResponse(body, status=500)
