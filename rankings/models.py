from decimal import Decimal
from typing import Any

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dropi.models import TimeStampedModel

WEIGHT: dict[str, Any] = {"max_digits": 6, "decimal_places": 3}
# Normalised components and scores live in [0, 1].
UNIT_INTERVAL: dict[str, Any] = {"max_digits": 7, "decimal_places": 6}


def _weight(*, default: str) -> models.DecimalField:
    return models.DecimalField(
        **WEIGHT, default=Decimal(default), validators=[MinValueValidator(0)]
    )


class RankingKind(models.TextChoices):
    SELLERS = "sellers", _("Vendedores")
    PRODUCTS = "products", _("Productos")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("En curso")
    PUBLISHED = "published", _("Publicado")
    FAILED = "failed", _("Fallido")
    SUPERSEDED = "superseded", _("Reemplazado")


class RankingWeightSet(TimeStampedModel):
    """The weights and priors a ranking of one kind uses in one vertical.

    The row without a vertical is the default for its kind; a vertical's own
    row, when present, wins. Weights are relative: the score divides by their
    sum, so it always lies between 0 and 1.
    """

    kind = models.CharField(max_length=20, choices=RankingKind.choices)
    vertical = models.ForeignKey(
        "catalog.Vertical",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ranking_weight_sets",
        help_text=_("Vacío = conjunto por defecto del tipo."),
    )
    weight_revenue = _weight(default="1")
    weight_orders = _weight(default="1")
    weight_units = _weight(default="0")
    weight_rating = _weight(default="1")
    weight_on_time = _weight(default="1")
    weight_cancellation = _weight(default="1")
    min_orders = models.PositiveIntegerField(
        default=3,
        help_text=_("Pedidos mínimos en la ventana para entrar en el ranking."),
    )
    rating_prior_strength = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(0)],
        help_text=_(
            "Reseñas imaginarias con la nota media de la ventana que se suman "
            "a las de cada entidad (promedio bayesiano)."
        ),
    )
    on_time_prior_strength = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("5"),
        validators=[MinValueValidator(0)],
        help_text=_(
            "Entregas imaginarias con la tasa de puntualidad de la ventana "
            "que se suman a las de cada entidad."
        ),
    )

    class Meta:
        ordering = ["kind", "vertical__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(vertical__isnull=True),
                name="rankings_weightset_default_uniq",
            ),
            models.UniqueConstraint(
                fields=["kind", "vertical"],
                condition=models.Q(vertical__isnull=False),
                name="rankings_weightset_vertical_uniq",
            ),
            models.CheckConstraint(
                condition=models.Q(weight_revenue__gte=0)
                & models.Q(weight_orders__gte=0)
                & models.Q(weight_units__gte=0)
                & models.Q(weight_rating__gte=0)
                & models.Q(weight_on_time__gte=0)
                & models.Q(weight_cancellation__gte=0),
                name="rankings_weightset_weights_non_negative",
                violation_error_message=_("Los pesos no pueden ser negativos."),
            ),
            models.CheckConstraint(
                condition=models.Q(weight_revenue__gt=0)
                | models.Q(weight_orders__gt=0)
                | models.Q(weight_units__gt=0)
                | models.Q(weight_rating__gt=0)
                | models.Q(weight_on_time__gt=0)
                | models.Q(weight_cancellation__gt=0),
                name="rankings_weightset_some_weight",
                violation_error_message=_("Al menos un peso debe ser mayor que 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} / {self.vertical or _('por defecto')}"


class RankingRun(TimeStampedModel):
    """One computation of a ranking: its key, parameters, outcome and entries.

    At most one run is published per (kind, vertical, as_of, window_days);
    recomputing the same key marks the earlier one superseded in the same
    transaction that publishes the new one.
    """

    kind = models.CharField(max_length=20, choices=RankingKind.choices)
    vertical = models.ForeignKey(
        "catalog.Vertical",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ranking_runs",
    )
    as_of = models.DateField(
        help_text=_("La ventana termina al comenzar este día (excluido).")
    )
    window_days = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    status = models.CharField(
        max_length=20, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    parameters = models.JSONField(default=dict, blank=True)
    previous_run = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Ejecución publicada con la que se calculó el movimiento."),
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    entry_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-as_of", "-started_at"]
        permissions = [("recompute_rankingrun", "Can recompute a ranking run now")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "as_of", "window_days"],
                condition=models.Q(status="published", vertical__isnull=True),
                name="rankings_run_one_published_default",
            ),
            models.UniqueConstraint(
                fields=["kind", "vertical", "as_of", "window_days"],
                condition=models.Q(status="published", vertical__isnull=False),
                name="rankings_run_one_published_vertical",
            ),
            models.CheckConstraint(
                condition=models.Q(window_days__gte=1),
                name="rankings_run_window_positive",
            ),
        ]
        indexes = [
            models.Index(
                fields=["kind", "status", "-as_of"],
                name="rankings_run_latest_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.as_of} ({self.window_days}d)"


class RankingEntry(models.Model):
    """One ranked entity of a run, with every component of its score.

    Exactly one of ``store`` (sellers) and ``product`` (products) is set.
    ``movement`` is previous_rank - rank: positive means it climbed.
    """

    run = models.ForeignKey(
        RankingRun, on_delete=models.CASCADE, related_name="entries"
    )
    store = models.ForeignKey(
        "catalog.Store",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ranking_entries",
    )
    product = models.ForeignKey(
        "catalog.Product",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ranking_entries",
    )
    entity_source_id = models.CharField(max_length=64, blank=True, db_index=True)
    rank = models.PositiveIntegerField()
    score = models.DecimalField(**UNIT_INTERVAL)
    # Raw components.
    revenue = models.DecimalField(max_digits=16, decimal_places=2)
    orders = models.PositiveIntegerField()
    cancelled_orders = models.PositiveIntegerField()
    units = models.PositiveIntegerField()
    review_count = models.PositiveIntegerField()
    review_mean = models.DecimalField(
        max_digits=5, decimal_places=4, null=True, blank=True
    )
    rating = models.DecimalField(max_digits=5, decimal_places=4)
    delivered_orders = models.PositiveIntegerField()
    on_time_orders = models.PositiveIntegerField()
    on_time_rate = models.DecimalField(**UNIT_INTERVAL)
    cancellation_rate = models.DecimalField(**UNIT_INTERVAL)
    # Normalised components (percent rank in the run, 1 = best).
    revenue_norm = models.DecimalField(**UNIT_INTERVAL)
    orders_norm = models.DecimalField(**UNIT_INTERVAL)
    units_norm = models.DecimalField(**UNIT_INTERVAL)
    rating_norm = models.DecimalField(**UNIT_INTERVAL)
    on_time_norm = models.DecimalField(**UNIT_INTERVAL)
    cancellation_norm = models.DecimalField(**UNIT_INTERVAL)
    previous_rank = models.PositiveIntegerField(null=True, blank=True)
    movement = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["run", "rank"]
        verbose_name_plural = "ranking entries"
        constraints = [
            models.UniqueConstraint(
                fields=["run", "rank"], name="rankings_entry_run_rank_uniq"
            ),
            models.UniqueConstraint(
                fields=["run", "store"],
                condition=models.Q(store__isnull=False),
                name="rankings_entry_run_store_uniq",
            ),
            models.UniqueConstraint(
                fields=["run", "product"],
                condition=models.Q(product__isnull=False),
                name="rankings_entry_run_product_uniq",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(store__isnull=False, product__isnull=True)
                    | models.Q(store__isnull=True, product__isnull=False)
                ),
                name="rankings_entry_one_entity",
            ),
            models.CheckConstraint(
                condition=models.Q(rank__gte=1), name="rankings_entry_rank_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.rank} {self.entity_source_id or self.entity_id}"

    @property
    def entity_id(self) -> int | None:
        return self.store_id or self.product_id
