import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dropi.models import TimeStampedModel


class LoginDecisionChoice(models.TextChoices):
    ALLOW = "allow", _("Permitir")
    CHALLENGE = "challenge", _("Desafío (segundo factor)")
    BLOCK = "block", _("Bloquear")


class LoginRiskSettings(TimeStampedModel):
    """Weights and thresholds of the login risk score (one row, id 1).

    Each signal adds ``weight * count`` points (capped where a cap exists);
    the sum is compared with the two thresholds.
    """

    window_minutes = models.PositiveIntegerField(
        default=15, help_text=_("Ventana para contar fallos recientes.")
    )
    account_failure_points = models.PositiveIntegerField(
        default=2, help_text=_("Puntos por fallo reciente de la cuenta.")
    )
    account_failure_cap = models.PositiveIntegerField(
        default=20,
        help_text=_(
            "Máximo de puntos por fallos de la cuenta: un atacante no puede "
            "bloquear al dueño que entra desde otra dirección."
        ),
    )
    address_failure_points = models.PositiveIntegerField(
        default=3, help_text=_("Puntos por fallo reciente desde la dirección.")
    )
    distinct_account_points = models.PositiveIntegerField(
        default=10,
        help_text=_("Puntos por cada otra cuenta fallida desde la dirección."),
    )
    velocity_limit_per_minute = models.PositiveIntegerField(default=10)
    velocity_points = models.PositiveIntegerField(default=20)
    bot_client_points = models.PositiveIntegerField(default=20)
    missing_accept_language_points = models.PositiveIntegerField(default=5)
    new_device_points = models.PositiveIntegerField(default=10)
    challenge_threshold = models.PositiveIntegerField(default=40)
    block_threshold = models.PositiveIntegerField(default=70)
    block_minutes = models.PositiveIntegerField(
        default=60, help_text=_("Duración del bloqueo y de la entrada en la lista.")
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("ajustes de riesgo de inicio de sesión")
        verbose_name_plural = _("ajustes de riesgo de inicio de sesión")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=1), name="fraud_loginrisksettings_singleton"
            ),
            models.CheckConstraint(
                condition=models.Q(block_threshold__gt=models.F("challenge_threshold")),
                name="fraud_loginrisksettings_block_above_challenge",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Ajustes de riesgo de inicio de sesión"))


class LoginAttempt(models.Model):
    """One login attempt with its risk score, decision and outcome."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.CharField(max_length=254, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="login_attempts",
    )
    address = models.GenericIPAddressField()
    user_agent = models.CharField(max_length=400, blank=True)
    device_hash = models.CharField(max_length=64)
    path = models.CharField(max_length=200, blank=True)
    succeeded = models.BooleanField()
    score = models.PositiveIntegerField(default=0)
    decision = models.CharField(max_length=10, choices=LoginDecisionChoice.choices)
    reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["address", "created_at"]),
            models.Index(fields=["email", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.email} {self.address} {self.decision}"


class LoginLockout(models.Model):
    """An axes lockout of one account from one address (tier history)."""

    email = models.CharField(max_length=254)
    address = models.GenericIPAddressField()
    tier = models.PositiveSmallIntegerField()
    locked_until = models.DateTimeField()
    owner_notified = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email", "address", "created_at"])]

    def __str__(self) -> str:
        return f"{self.email} {self.address} tier {self.tier}"


class BlocklistKind(models.TextChoices):
    ADDRESS = "address", _("Dirección IP")
    EMAIL_DOMAIN = "email_domain", _("Dominio de email")
    PHONE = "phone", _("Teléfono")
    SHIPPING_ADDRESS = "shipping_address", _("Dirección de envío")


class BlocklistEntry(TimeStampedModel):
    """A blocked address, email domain, phone or shipping address.

    ``value`` is stored normalised (see ``fraud.blocklist``); an entry
    without ``expires_at`` lasts until removed.
    """

    kind = models.CharField(max_length=20, choices=BlocklistKind.choices)
    value = models.CharField(max_length=255)
    reason = models.CharField(max_length=255)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("entrada de lista de bloqueo")
        verbose_name_plural = _("lista de bloqueo")
        indexes = [models.Index(fields=["kind", "value", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class OrderRiskRuleCode(models.TextChoices):
    NEW_ACCOUNT_LARGE_FIRST_ORDER = (
        "new_account_large_first_order",
        _("Cuenta nueva con primer pedido grande"),
    )
    SHARED_DESTINATION = (
        "shared_destination",
        _("Varias cuentas envían a la misma dirección o teléfono"),
    )
    COD_REFUSALS = "cod_refusals", _("Rechazos de pago contra entrega")
    AMOUNT_ABOVE_USUAL = "amount_above_usual", _("Monto muy por encima del habitual")
    ORDER_VELOCITY = "order_velocity", _("Muchos pedidos en poco tiempo")


class OrderRiskRule(TimeStampedModel):
    """A scoring rule for orders, for all verticals or one of them.

    A rule for a vertical replaces the all-verticals rule of the same code
    for orders containing items of that vertical.
    """

    code = models.CharField(max_length=40, choices=OrderRiskRuleCode.choices)
    vertical = models.ForeignKey(
        "catalog.Vertical",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="order_risk_rules",
    )
    points = models.PositiveIntegerField()
    params = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code", "vertical__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(vertical__isnull=True),
                name="fraud_orderriskrule_code_global_uniq",
            ),
            models.UniqueConstraint(
                fields=["code", "vertical"],
                condition=models.Q(vertical__isnull=False),
                name="fraud_orderriskrule_code_vertical_uniq",
            ),
        ]

    def __str__(self) -> str:
        scope = self.vertical.name if self.vertical is not None else _("todas")
        return f"{self.get_code_display()} ({scope})"


class OrderRiskSettings(TimeStampedModel):
    """The score at which an order is held for review (one row, id 1)."""

    hold_threshold = models.PositiveIntegerField(default=50)

    class Meta:
        ordering = ["id"]
        verbose_name = _("ajustes de riesgo de pedidos")
        verbose_name_plural = _("ajustes de riesgo de pedidos")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=1), name="fraud_orderrisksettings_singleton"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Ajustes de riesgo de pedidos"))


class FraudCaseStatus(models.TextChoices):
    OPEN = "open", _("Abierto")
    APPROVED = "approved", _("Aprobado")
    REJECTED = "rejected", _("Rechazado")


class FraudCase(TimeStampedModel):
    """A held order waiting for (or after) a staff decision."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.OneToOneField(
        "catalog.Order", on_delete=models.PROTECT, related_name="fraud_case"
    )
    score = models.PositiveIntegerField()
    reasons = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=FraudCaseStatus.choices, default=FraudCaseStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("caso de fraude")
        verbose_name_plural = _("casos de fraude")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open", decided_at__isnull=True)
                | (~models.Q(status="open") & models.Q(decided_at__isnull=False)),
                name="fraud_fraudcase_decided_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} ({self.get_status_display()}, {self.score})"
