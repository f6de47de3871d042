import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.forms.models import model_to_dict

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_event_record
from fraud.models import LoginRiskSettings
from tests.fraud.factories import FraudCaseFactory


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser(
        email="jefa@example.com", password="S3guro!pass"
    )


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_an_admin_change_leaves_one_row_with_the_changed_fields(
    admin_client, admin_user
):
    settings_row = LoginRiskSettings.objects.get(id=1)
    data = {k: v for k, v in model_to_dict(settings_row).items() if v is not None}
    data["challenge_threshold"] = 45

    response = admin_client.post(
        f"/admin/fraud/loginrisksettings/{settings_row.pk}/change/",
        data,
        REMOTE_ADDR="198.51.100.30",
    )

    assert response.status_code == 302
    assert LoginRiskSettings.objects.get(id=1).challenge_threshold == 45
    # force_login itself is recorded as a login; the change is one row.
    event = AuditEvent.objects.exclude(action="login.success").get()
    assert event.action == "admin.change"
    assert event.object_type == "fraud.loginrisksettings"
    assert event.before == {"challenge_threshold": 40}
    assert event.after == {"challenge_threshold": 45}
    assert event.actor_id == str(admin_user.pk)
    assert event.address == "198.51.100.30"


def test_an_api_write_leaves_one_row_with_before_and_after(api_client, admin_user):
    case = FraudCaseFactory()
    api_client.force_authenticate(admin_user)

    response = api_client.post(
        f"/api/fraude/casos/{case.pk}/aprobar/",
        {"note": "llamé al cliente"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    event = AuditEvent.objects.get()
    assert event.action == "fraud.case_approve"
    assert event.before == {"status": "open", "decided_by": None, "decided_at": None}
    assert event.after["status"] == "approved"
    assert event.after["note"] == "llamé al cliente"
    assert event.context == {
        "method": "POST",
        "path": f"/api/fraude/casos/{case.pk}/aprobar/",
        "status": 200,
    }
    assert event.actor_id == str(admin_user.pk)


def test_a_refused_api_write_is_recorded_without_a_change(api_client, user):
    case = FraudCaseFactory()
    api_client.force_authenticate(user)

    response = api_client.post(
        f"/api/fraude/casos/{case.pk}/aprobar/", {}, format="json"
    )

    assert response.status_code == 403
    event = AuditEvent.objects.get()
    assert event.action == "api.write"
    assert event.before is None
    assert event.context["status"] == 403


def test_group_and_permission_changes_are_recorded(db):
    person = User.objects.create_user(email="p@example.com", password="x")
    group = Group.objects.create(name="vendedores")
    permission = Permission.objects.get(codename="view_fraudcase")

    person.groups.add(group)
    group.permissions.add(permission)
    person.groups.remove(group)

    events = list(
        AuditEvent.objects.order_by("id").values_list("action", "before", "after")
    )
    assert events == [
        ("perm.groups", {"items": []}, {"items": ["vendedores"]}),
        ("perm.group", {"items": []}, {"items": [str(permission)]}),
        ("perm.groups", {"items": ["vendedores"]}, {"items": []}),
    ]


def test_adding_members_from_the_group_side_is_recorded_per_user(db):
    person = User.objects.create_user(email="p@example.com", password="x")
    group = Group.objects.create(name="staff-ventas")

    group.user_set.add(person)

    event = AuditEvent.objects.get()
    assert (event.action, event.object_id, event.after) == (
        "perm.groups",
        str(person.pk),
        {"items": ["staff-ventas"]},
    )


def test_the_audit_admin_is_read_only(admin_client):
    event = audit_event_record(action="service.change", object_repr="x")

    add = admin_client.get("/admin/audit/auditevent/add/")
    delete = admin_client.post(
        f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}
    )
    listing = admin_client.get("/admin/audit/auditevent/?action=service.change&q=x")

    assert add.status_code == 403
    assert delete.status_code == 403
    assert listing.status_code == 200
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_csv_export_neutralises_formulas(admin_client):
    dangerous = [
        '=HYPERLINK("http://127.0.0.1")',
        "+1",
        "-2",
        "@SUM(A1)",
        "\tx",
        "\rx",
        "normal",
    ]
    events = [
        audit_event_record(action="service.change", object_repr=text)
        for text in dangerous
    ]

    response = admin_client.post(
        "/admin/audit/auditevent/",
        {"action": "export_csv", "_selected_action": [event.pk for event in events]},
    )

    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row["object_repr"] for row in rows] == [
        "'" + text if text != "normal" else text for text in dangerous
    ]


def test_adding_a_blocklist_entry_in_the_admin_leaves_one_row(admin_client):
    response = admin_client.post(
        "/admin/fraud/blocklistentry/add/",
        {
            "kind": "phone",
            "value": "0981 123 456",
            "reason": "contracargos",
            "expires_at_0": "",
            "expires_at_1": "",
        },
    )

    assert response.status_code == 302
    event = AuditEvent.objects.exclude(action="login.success").get()
    assert event.action == "fraud.blocklist_add"
    assert event.after["value"] == "595981123456"


def test_a_change_noted_outside_a_request_is_recorded_on_its_own(db):
    from audit.services import audit_change_note

    settings_row = LoginRiskSettings.objects.get(id=1)

    audit_change_note(
        obj=settings_row, before={"block_minutes": 60}, after={"block_minutes": 90}
    )

    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.before, event.after) == (
        "service.change",
        "fraud.loginrisksettings",
        {"block_minutes": 60},
        {"block_minutes": 90},
    )
    assert event.address is None


def test_clearing_a_users_groups_is_recorded(db):
    person = User.objects.create_user(email="p@example.com", password="x")
    person.groups.add(Group.objects.create(name="a"), Group.objects.create(name="b"))

    person.groups.clear()

    last = AuditEvent.objects.order_by("-id").first()
    assert (last.action, last.before, last.after) == (
        "perm.groups",
        {"items": ["a", "b"]},
        {"items": []},
    )
