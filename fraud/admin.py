from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from dropi.exceptions import ApplicationError
from fraud.backtest import BacktestForm, backtest_run
from fraud.models import (
    BlocklistEntry,
    FraudCase,
    FraudCaseStatus,
    LoginAttempt,
    LoginLockout,
    LoginRiskSettings,
    OrderRiskRule,
    OrderRiskSettings,
)
from fraud.rules import rule_params_validate
from fraud.services import blocklist_add, fraud_case_approve, fraud_case_reject


class SingletonAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return not self.model.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(LoginRiskSettings)
class LoginRiskSettingsAdmin(SingletonAdmin):
    list_display = [
        "__str__",
        "challenge_threshold",
        "block_threshold",
        "block_minutes",
    ]


@admin.register(OrderRiskSettings)
class OrderRiskSettingsAdmin(SingletonAdmin):
    list_display = ["__str__", "hold_threshold"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(LoginAttempt)
class LoginAttemptAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "email", "address", "succeeded", "decision", "score"]
    list_filter = ["decision", "succeeded", "created_at"]
    search_fields = ["email", "address", "user_agent"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"


@admin.register(LoginLockout)
class LoginLockoutAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "email",
        "address",
        "tier",
        "locked_until",
        "owner_notified",
    ]
    list_filter = ["tier", "owner_notified"]
    search_fields = ["email", "address"]


@admin.register(BlocklistEntry)
class BlocklistEntryAdmin(admin.ModelAdmin):
    list_display = ["kind", "value", "reason", "expires_at", "created_by", "created_at"]
    list_filter = ["kind", "expires_at"]
    search_fields = ["value", "reason"]
    raw_id_fields = ["created_by"]
    list_select_related = ["created_by"]
    readonly_fields = ["created_by"]

    def save_model(
        self, request: HttpRequest, obj: BlocklistEntry, form, change
    ) -> None:
        if change:
            # Edits (shortening or extending an entry) are plain field
            # changes, captured by the audit trail's admin hook.
            super().save_model(request, obj, form, change)
            return
        try:
            created = blocklist_add(
                kind=obj.kind,
                value=obj.value,
                reason=obj.reason,
                expires_at=obj.expires_at,
                actor=request.user,
            )
        except ApplicationError as error:
            raise ValidationError(error.message) from error
        obj.pk = created.pk


class OrderRiskRuleForm(forms.ModelForm):
    class Meta:
        model = OrderRiskRule
        fields = ["code", "vertical", "points", "params", "is_active"]

    def clean(self):
        cleaned = super().clean() or {}
        problems = rule_params_validate(
            code=cleaned.get("code", ""), params=cleaned.get("params") or {}
        )
        if problems:
            raise ValidationError({"params": problems})
        return cleaned


@admin.register(OrderRiskRule)
class OrderRiskRuleAdmin(admin.ModelAdmin):
    form = OrderRiskRuleForm
    list_display = ["code", "vertical", "points", "is_active", "params"]
    list_filter = ["is_active", "code", "vertical"]
    list_editable = ["points", "is_active"]
    raw_id_fields = ["vertical"]
    list_select_related = ["vertical"]
    change_list_template = "admin/fraud/orderriskrule/change_list.html"

    def get_urls(self):
        custom = [
            path(
                "backtest/",
                self.admin_site.admin_view(self.backtest_view),
                name="fraud_orderriskrule_backtest",
            )
        ]
        return custom + super().get_urls()

    def backtest_view(self, request: HttpRequest) -> TemplateResponse:
        """Show how many past orders each rule would have flagged."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = BacktestForm(request.GET or None)
        result = None
        if form.is_bound and form.is_valid():
            result = backtest_run(**form.cleaned_data)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Backtest de reglas de riesgo"),
            "form": form,
            "result": result,
        }
        return TemplateResponse(
            request, "admin/fraud/orderriskrule/backtest.html", context
        )


@admin.register(FraudCase)
class FraudCaseAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "order",
        "score",
        "status",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", "created_at"]
    search_fields = ["order__id", "order__customer__email", "order__customer__name"]
    raw_id_fields = ["order", "decided_by"]
    list_select_related = ["order", "decided_by"]
    readonly_fields = [
        "order",
        "score",
        "reasons",
        "status",
        "decided_by",
        "decided_at",
        "decision_note",
        "created_at",
    ]
    actions = ["approve_selected", "reject_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def _decide(self, request: HttpRequest, queryset, service, label: str) -> None:
        done = 0
        for case in queryset.filter(status=FraudCaseStatus.OPEN):
            try:
                service(case=case, actor=request.user)
            except ApplicationError as error:
                self.message_user(request, f"{case}: {error.message}", messages.ERROR)
                continue
            done += 1
        skipped = queryset.count() - done
        self.message_user(
            request, _("%(done)d casos %(label)s.") % {"done": done, "label": label}
        )
        if skipped:
            self.message_user(
                request,
                _("%(skipped)d casos ya estaban decididos u omitidos.")
                % {"skipped": skipped},
                messages.WARNING,
            )

    @admin.action(
        description=_("Aprobar los casos seleccionados"), permissions=["change"]
    )
    def approve_selected(self, request: HttpRequest, queryset) -> None:
        self._decide(request, queryset, fraud_case_approve, str(_("aprobados")))

    @admin.action(
        description=_("Rechazar los casos seleccionados"), permissions=["change"]
    )
    def reject_selected(self, request: HttpRequest, queryset) -> None:
        self._decide(request, queryset, fraud_case_reject, str(_("rechazados")))
