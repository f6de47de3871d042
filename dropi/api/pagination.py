"""Page-number pagination with a capped, client-chosen page size."""

from rest_framework.pagination import PageNumberPagination


class DefaultPagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most 100) on every list."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
