from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from rankings.metrics import COMPONENTS
from rankings.models import RankingEntry, RankingRun, RankingWeightSet
from rankings.permissions import RECOMPUTE_RANKING_RUN
from rankings.services import ranking_run_create

PREVIEW_ENTRIES = 20
WEIGHT_FIELDS = tuple(f"weight_{name}" for name in COMPONENTS)
PRIOR_FIELDS = ("min_orders", "rating_prior_strength", "on_time_prior_strength")
RUN_SUMMARY = (
    "kind",
    "vertical",
    "as_of",
    "window_days",
    "status",
    "entries_link",
    "started_at",
    "finished_at",
)


@admin.register(RankingWeightSet)
class RankingWeightSetAdmin(admin.ModelAdmin):
    list_display = ("kind", "vertical", *WEIGHT_FIELDS, *PRIOR_FIELDS, "updated_at")
    list_filter = ("kind", "vertical")
    list_select_related = ("vertical",)
    raw_id_fields = ("vertical",)
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("kind", "vertical")}),
        (
            _("Pesos (relativos; el puntaje se divide por su suma)"),
            {"fields": WEIGHT_FIELDS},
        ),
        (_("Volumen mínimo y priores"), {"fields": PRIOR_FIELDS}),
        (None, {"fields": ("created_at", "updated_at")}),
    )


def _entries_url(run_id: int) -> str:
    return (
        reverse("admin:rankings_rankingentry_changelist") + f"?run__id__exact={run_id}"
    )


@admin.register(RankingRun)
class RankingRunAdmin(admin.ModelAdmin):
    list_display = ("id", *RUN_SUMMARY)
    list_filter = ("kind", "status", "window_days", "vertical")
    list_select_related = ("vertical",)
    date_hierarchy = "as_of"
    search_fields = ("=id", "error")
    ordering = ("-as_of", "-started_at")
    actions = ("recompute_now",)
    fields = (
        *RUN_SUMMARY,
        "previous_run",
        "parameters",
        "error",
        "top_entries",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_recompute_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(RECOMPUTE_RANKING_RUN)

    @admin.display(description=_("entradas"), ordering="entry_count")
    def entries_link(self, run: RankingRun) -> str:
        return format_html(
            '<a href="{}">{}</a>', _entries_url(run.pk), f"{run.entry_count:,}"
        )

    @admin.display(description=_("primeras entradas"))
    def top_entries(self, run: RankingRun) -> str:
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    e.rank,
                    e.entity_source_id or e.entity_id,
                    e.score,
                    e.revenue,
                    e.movement,
                )
                for e in run.entries.order_by("rank")[:PREVIEW_ENTRIES]
            ),
        )
        return format_html(
            "<table><tr><th>rank</th><th>entity</th><th>score</th><th>revenue</th>"
            "<th>movement</th></tr>{}</table>"
            '<p><a href="{}">{}</a></p>',
            rows,
            _entries_url(run.pk),
            _("Ver todas las entradas, paginadas"),
        )

    @admin.action(
        description=_("Recalcular ahora (mismo tipo, fecha y ventana)"),
        permissions=("recompute",),
    )
    def recompute_now(self, request: HttpRequest, queryset: QuerySet[RankingRun]):
        keys = {
            (run.kind, run.vertical, run.as_of, run.window_days)
            for run in queryset.select_related("vertical")
        }
        for kind, vertical, as_of, window_days in sorted(
            keys, key=lambda k: (k[0], k[2], k[3])
        ):
            try:
                run = ranking_run_create(
                    kind=kind, as_of=as_of, window_days=window_days, vertical=vertical
                )
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            except Exception as exc:
                # The service recorded the failed run; tell the operator why.
                self.message_user(
                    request,
                    f"{kind} {as_of}: failed ({type(exc).__name__}: {exc}); "
                    "the previous ranking stays published.",
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    f"{kind} {as_of}: published run {run.pk} "
                    f"with {run.entry_count} entries.",
                    messages.SUCCESS,
                )


@admin.register(RankingEntry)
class RankingEntryAdmin(admin.ModelAdmin):
    list_display = (
        "rank",
        "entity_source_id",
        "entity_name",
        "score",
        "movement",
        "revenue",
        "orders",
        "units",
        "review_count",
        "rating",
        "on_time_rate",
        "cancellation_rate",
        "run",
    )
    list_display_links = ("rank", "entity_source_id")
    list_filter = ("run__kind", "run__status", "run__as_of")
    list_select_related = ("run", "store", "product")
    search_fields = ("=entity_source_id", "store__name", "product__name")
    raw_id_fields = ("run", "store", "product")
    ordering = ("run", "rank")
    list_per_page = 100
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("entidad"))
    def entity_name(self, entry: RankingEntry) -> str:
        entity = entry.store or entry.product
        return entity.name if entity else ""
