import uuid

from django.conf import settings
from django.db import models

from dropi.models import SourcedModel, TimeStampedModel


class Customer(SourcedModel, TimeStampedModel):
    """A buyer, linked to a user account when it has one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customer",
    )
    name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    zip_prefix = models.CharField(max_length=10, blank=True)
    city = models.CharField(max_length=120, blank=True)
    state = models.CharField(max_length=60, blank=True)

    class Meta(SourcedModel.Meta):
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name or self.email or str(self.id)


class CustomerExternalId(TimeStampedModel):
    """Another id under which a source system knows the same customer.

    Olist gives every order its own ``customer_id``; the person behind them
    is ``customer_unique_id``. Orders are matched to customers through this.
    """

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="external_ids"
    )
    source = models.CharField(max_length=20)
    external_id = models.CharField(max_length=64)

    class Meta:
        ordering = ["source", "external_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="crm_customerexternalid_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"
