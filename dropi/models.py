"""Abstract model bases shared by every app."""

from django.db import models


class TimeStampedModel(models.Model):
    """Add creation and last-change times, both aware and stored in UTC."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class SourcedModel(models.Model):
    """Keep the id a row had in the system it was imported from.

    ``source`` names the system (``"olist"``, ``"demo"``); ``source_id`` is
    unique within it, so a second import updates instead of duplicating.
    Rows created on the platform itself leave both empty.
    """

    source = models.CharField(max_length=20, blank=True, default="")
    source_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~models.Q(source_id=""),
                name="%(app_label)s_%(class)s_source_uniq",
            ),
        ]
