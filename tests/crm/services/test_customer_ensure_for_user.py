import threading

import pytest
from django.db import connection

from crm.models import Customer
from crm.services import customer_ensure_for_user
from tests.accounts.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_first_purchases_racing_create_one_customer_for_the_user():
    user = UserFactory()
    barrier = threading.Barrier(4)
    found = []
    errors = []

    def ensure():
        try:
            barrier.wait()
            found.append(customer_ensure_for_user(user=user).pk)
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=ensure) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(found) == 4
    assert set(found) == {Customer.objects.get(user=user).pk}
