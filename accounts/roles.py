"""Tier names: each is a Django group whose permissions staff edit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    CUSTOMER = "customer", _("Cliente")
    SELLER = "seller", _("Vendedor")
    PREMIUM = "premium", _("Premium")
    CORPORATE = "corporate", _("Corporativo")
    STAFF = "staff", _("Staff")
    ADMIN = "admin", _("Administrador")
