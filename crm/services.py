"""Writes of the CRM app."""

import logging

from django.db import transaction

from accounts.models import User
from crm.models import Customer

logger = logging.getLogger(__name__)


@transaction.atomic
def customer_ensure_for_user(*, user: User) -> Customer:
    """Return the user's customer record, creating it on first purchase.

    Safe when two first purchases race: ``user`` is unique (one-to-one), and
    ``get_or_create`` inserts in a savepoint and, on the unique violation,
    reads the row the other request committed.
    """
    customer, created = Customer.objects.select_for_update().get_or_create(
        user=user,
        defaults={"name": user.get_full_name(), "email": user.email},
    )
    if created:
        logger.info(
            "Customer created for user",
            extra={"customer_id": str(customer.pk), "user_id": str(user.pk)},
        )

    return customer
