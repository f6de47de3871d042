import django_filters

from accounts.models import User
from accounts.roles import Tier

BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]


def _strict_boolean() -> django_filters.TypedChoiceFilter:
    # django-filter's BooleanFilter ignores a value it cannot read; here
    # anything but true/false is a 400.
    return django_filters.TypedChoiceFilter(
        choices=BOOLEAN_CHOICES, coerce=lambda value: value == "true"
    )


class UserFilter(django_filters.FilterSet):
    # TODO: no filter by VIP segment or ranking position yet (they live in
    # crm and rankings); staff must cross-check those lists by hand.
    tier = django_filters.ChoiceFilter(
        choices=Tier.choices, field_name="groups__name", label="tier"
    )
    is_active = _strict_boolean()
    is_staff = _strict_boolean()

    class Meta:
        model = User
        fields = ["tier", "is_active", "is_staff"]
