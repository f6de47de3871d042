from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN_SUCCESS = "login.success", _("Inicio de sesión correcto")
    LOGIN_FAILURE = "login.failure", _("Inicio de sesión fallido")
    LOGIN_LOCKOUT = "login.lockout", _("Cuenta bloqueada desde una dirección")
    ADMIN_ADD = "admin.add", _("Alta en el admin")
    ADMIN_CHANGE = "admin.change", _("Cambio en el admin")
    ADMIN_DELETE = "admin.delete", _("Borrado en el admin")
    API_WRITE = "api.write", _("Escritura por la API")
    SERVICE_CHANGE = "service.change", _("Cambio por un servicio")
    GROUPS_CHANGE = "perm.groups", _("Cambio de grupos de un usuario")
    USER_PERMISSIONS_CHANGE = "perm.user", _("Cambio de permisos de un usuario")
    GROUP_PERMISSIONS_CHANGE = "perm.group", _("Cambio de permisos de un grupo")
    FRAUD_CASE_OPEN = "fraud.case_open", _("Caso de fraude abierto")
    FRAUD_CASE_APPROVE = "fraud.case_approve", _("Caso de fraude aprobado")
    FRAUD_CASE_REJECT = "fraud.case_reject", _("Caso de fraude rechazado")
    BLOCKLIST_ADD = "fraud.blocklist_add", _("Alta en lista de bloqueo")


class AuditEvent(models.Model):
    """One entry of the append-only audit trail.

    The database refuses UPDATE and DELETE on this table (migration 0002).
    The actor is kept as id and text rather than a foreign key, so deleting
    a user never has to touch (and is never blocked by) the trail.
    """

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    actor_id = models.CharField(max_length=64, blank=True, db_index=True)
    actor_repr = models.CharField(max_length=254, blank=True)
    object_type = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=255, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    context = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("evento de auditoría")
        verbose_name_plural = _("eventos de auditoría")
        indexes = [models.Index(fields=["action", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_repr}"
