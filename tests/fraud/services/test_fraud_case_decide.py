import pytest

from audit.models import AuditEvent
from dropi.exceptions import ApplicationError
from fraud.services import fraud_case_approve, fraud_case_reject, order_is_held
from tests.fraud.factories import FraudCaseFactory


@pytest.mark.django_db
def test_approving_releases_the_order(staff_user):
    case = FraudCaseFactory()

    case = fraud_case_approve(case=case, actor=staff_user, note="cliente verificado")

    assert case.status == "approved"
    assert case.decided_by == staff_user
    assert case.decided_at is not None
    assert not order_is_held(order=case.order)
    event = AuditEvent.objects.get(action="fraud.case_approve")
    assert event.before["status"] == "open"
    assert event.after["status"] == "approved"
    assert event.actor_id == str(staff_user.pk)


@pytest.mark.django_db
def test_rejecting_keeps_the_order_held(staff_user):
    case = FraudCaseFactory()

    case = fraud_case_reject(case=case, actor=staff_user)

    assert case.status == "rejected"
    assert order_is_held(order=case.order)


@pytest.mark.django_db
def test_a_decided_case_cannot_be_decided_again(staff_user):
    case = fraud_case_approve(case=FraudCaseFactory(), actor=staff_user)

    with pytest.raises(ApplicationError) as error:
        fraud_case_reject(case=case, actor=staff_user)

    assert error.value.code == "fraud_case_decided"
    case.refresh_from_db()
    assert case.status == "approved"


@pytest.mark.django_db
def test_only_staff_decide(user):
    case = FraudCaseFactory()

    with pytest.raises(ApplicationError) as error:
        fraud_case_approve(case=case, actor=user)

    assert error.value.status_code == 403
    case.refresh_from_db()
    assert case.status == "open"
