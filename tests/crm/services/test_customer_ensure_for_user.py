import pytest

from crm.models import Customer
from crm.services import customer_ensure_for_user
from tests.accounts.factories import UserFactory
from tests.threads import run_together


@pytest.mark.django_db(transaction=True)
def test_first_purchases_racing_create_one_customer_for_the_user():
    user = UserFactory()
    found = []

    def ensure():
        found.append(customer_ensure_for_user(user=user).pk)

    run_together(ensure, 4)

    assert len(found) == 4
    assert set(found) == {Customer.objects.get(user=user).pk}
