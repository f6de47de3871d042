"""Tier names: each is a Django group whose permissions staff edit."""

from django.db import models


class Tier(models.TextChoices):
    CUSTOMER = "customer", "Cliente"
    SELLER = "seller", "Vendedor"
    PREMIUM = "premium", "Premium"
    CORPORATE = "corporate", "Corporativo"
    STAFF = "staff", "Staff"
    ADMIN = "admin", "Administrador"
