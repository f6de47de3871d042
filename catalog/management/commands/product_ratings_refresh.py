"""Recompute every product's stored rating summary from its reviews."""

from django.core.management.base import BaseCommand
from django.db import transaction

from catalog.services import product_ratings_refresh


class Command(BaseCommand):
    help = (
        "Recompute the stored rating (sum and count of the reviews that count "
        "for each product) of every product; a repair after writes that "
        "bypassed the review service."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            written = product_ratings_refresh()
        self.stdout.write(f"Product ratings refreshed: {written} changed.")
