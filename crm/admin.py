from django.contrib import admin

from catalog.admin import TIMESTAMPS, ReadOnlyInline, SourcedAdmin
from crm.models import Customer, CustomerExternalId


class CustomerExternalIdInline(ReadOnlyInline):
    model = CustomerExternalId
    fields = ("source", "external_id", "created_at")
    readonly_fields = fields


@admin.register(Customer)
class CustomerAdmin(SourcedAdmin):
    list_display = (
        "__str__",
        "email",
        "city",
        "state",
        "user",
        "source",
        "source_id",
        "created_at",
    )
    list_filter = ("source", "state")
    list_select_related = ("user",)
    search_fields = ("name", "email", "phone", "source_id", "city")
    autocomplete_fields = ("user",)
    inlines = (CustomerExternalIdInline,)


@admin.register(CustomerExternalId)
class CustomerExternalIdAdmin(admin.ModelAdmin):
    list_display = ("external_id", "source", "customer")
    list_filter = ("source",)
    list_select_related = ("customer",)
    search_fields = ("external_id", "customer__source_id", "customer__email")
    raw_id_fields = ("customer",)

    def get_readonly_fields(self, request, obj=None):
        # The id is set when the link is made and never changed after.
        if obj is None:
            return TIMESTAMPS
        return ("source", "external_id", *TIMESTAMPS)
