from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.forms import AdminTOTPAuthenticationForm
from accounts.models import (
    RevokeReason,
    Role,
    TokenFamily,
    TokenReuseEvent,
    TOTPDevice,
    User,
)

# The admin login asks staff for a TOTP code as well as the password, as the
# JWT login does (docs/auth.md). Sessions opened with force_login (tests)
# do not pass through the form.
admin.site.login_form = AdminTOTPAuthenticationForm
admin.site.login_template = "admin/accounts/login.html"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["deactivate_users"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name",)}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "password1", "password2"),
            },
        ),
    )

    @admin.action(
        description=_("Desactivar y cerrar todas sus sesiones"), permissions=["change"]
    )
    def deactivate_users(self, request, queryset):
        for user in queryset:
            services.user_deactivate(user=user, actor=request.user)
        self.message_user(request, _("Usuarios desactivados."), messages.SUCCESS)


@admin.register(Role)
class RoleAdmin(GroupAdmin):
    """Tiers: the same groups as auth.Group, with the tier permissions."""


@admin.register(TokenFamily)
class TokenFamilyAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "user",
        "ip_address",
        "created_at",
        "last_used_at",
        "generation",
        "revoked_at",
        "revoked_reason",
    ]
    list_filter = ["revoked_reason", "created_at"]
    search_fields = ["user__email", "ip_address", "id"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    actions = ["revoke_sessions"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    @admin.action(
        description=_("Cerrar las sesiones seleccionadas"), permissions=["view"]
    )
    def revoke_sessions(self, request, queryset):
        for family in queryset:
            services.token_family_revoke(family=family, reason=RevokeReason.LOGOUT)
        self.message_user(request, _("Sesiones cerradas."), messages.SUCCESS)


@admin.register(TokenReuseEvent)
class TokenReuseEventAdmin(admin.ModelAdmin):
    list_display = ["detected_at", "family", "ip_address", "user_agent"]
    search_fields = ["family__user__email", "ip_address"]
    list_select_related = ["family"]
    raw_id_fields = ["family"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "confirmed_at"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    fields = ["user", "created_at", "confirmed_at"]
    readonly_fields = ["user", "created_at", "confirmed_at"]
    actions = ["reset_devices"]

    def has_add_permission(self, request):
        return False

    @admin.action(
        description=_("Reiniciar (el usuario vuelve a darse de alta)"),
        permissions=["delete"],
    )
    def reset_devices(self, request, queryset):
        for device in queryset.select_related("user"):
            services.totp_device_reset(user=device.user, actor=request.user)
        self.message_user(request, _("Dispositivos reiniciados."), messages.SUCCESS)
