"""Filter building blocks that refuse bad values with a 400."""

import django_filters
from django.db.models import QuerySet

BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]


class StrictBooleanFilter(django_filters.ChoiceFilter):
    """``true`` or ``false`` only; anything else is a 400, not ignored.

    django-filter's ``BooleanFilter`` silently drops unknown values, which
    would return an unfiltered list for ``?in_stock=maybe``. With ``method=``
    the method receives the string ``"true"`` or ``"false"``.
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("choices", BOOLEAN_CHOICES)
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if value in ("", None):
            return qs
        return qs.filter(**{self.field_name: value == "true"})


class IdFilter(django_filters.NumberFilter):
    """A positive whole id within PostgreSQL's ``bigint`` range."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        kwargs.setdefault("decimal_places", 0)
        super().__init__(*args, **kwargs)
