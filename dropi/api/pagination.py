"""Page-number pagination with a capped, client-chosen page size."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class DefaultPagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most 100) on every list.

    A ``page_size`` above the cap is lowered to it; one that is not a
    positive whole number is a 400 (DRF would silently use the default).
    A page that is not a number or past the end is DRF's 404.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Debe ser un número entero positivo.")
                    ]
                },
                code="invalid_page_size",
            )

        return min(int(raw), self.max_page_size)
