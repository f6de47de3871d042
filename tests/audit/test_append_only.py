import importlib
import sqlite3

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEvent
from audit.services import audit_event_record

triggers = importlib.import_module("audit.migrations.0002_append_only_triggers")


@pytest.fixture
def event(db):
    return audit_event_record(
        action="service.change", object_repr="algo", after={"a": 1}
    )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET object_repr = 'otro' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_postgresql_refuses_changing_an_event(event, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [event.pk])

    event.refresh_from_db()
    assert event.object_repr == "algo"
    assert AuditEvent.objects.count() == 1


def test_the_orm_cannot_delete_events_either(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_auditevent SET action = 'x'", "DELETE FROM audit_auditevent"],
    ids=["update", "delete"],
)
def test_sqlite_triggers_refuse_changing_an_event(statement):
    database = sqlite3.connect(":memory:")
    database.execute(
        "CREATE TABLE audit_auditevent (id INTEGER PRIMARY KEY, action TEXT)"
    )
    for trigger in triggers.SQLITE_FORWARD:
        database.execute(trigger)
    database.execute("INSERT INTO audit_auditevent (action) VALUES ('login.success')")

    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        database.execute(statement)

    assert database.execute("SELECT action FROM audit_auditevent").fetchall() == [
        ("login.success",)
    ]
