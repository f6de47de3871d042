from django.contrib import admin
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.export import audit_csv_lines
from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only browser of the trail, with a formula-safe CSV export."""

    list_display = [
        "created_at",
        "action",
        "actor_repr",
        "object_type",
        "object_repr",
        "address",
    ]
    list_filter = ["action", "object_type", "created_at"]
    search_fields = [
        "actor_repr",
        "actor_id",
        "object_repr",
        "object_id",
        "address",
        "user_agent",
    ]
    date_hierarchy = "created_at"
    actions = ["export_csv"]
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Exportar a CSV"), permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset) -> StreamingHttpResponse:
        name = f"audit-{timezone.now():%Y%m%d-%H%M%S}.csv"
        response = StreamingHttpResponse(
            audit_csv_lines(queryset.order_by("created_at", "id").iterator()),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
