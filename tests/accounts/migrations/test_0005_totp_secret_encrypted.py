"""Migration accounts/0005: encrypts stored TOTP secrets, and reverses."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.encryption import secret_decrypt
from tests.accounts.factories import UserFactory

BEFORE = [("accounts", "0004_grant_store_rankings_fraud")]
AFTER = [("accounts", "0005_totp_secret_encrypted")]
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def migrate(target=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # No target: every app back at its latest migration.
    executor.migrate(target or executor.loader.graph.leaf_nodes())


def stored_secrets():
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_totpdevice ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_migration_encrypts_clear_rows_and_reverse_decrypts_them():
    user = UserFactory()
    migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO accounts_totpdevice "
                "(user_id, secret, created_at, last_used_step) "
                "VALUES (%s, %s, now(), 0)",
                [user.pk, SECRET],
            )

        migrate(AFTER)
        encrypted = stored_secrets()
        migrate(BEFORE)
        decrypted = stored_secrets()
    finally:
        migrate()

    assert SECRET not in encrypted[0]
    assert secret_decrypt(encrypted[0]) == SECRET
    assert decrypted == [SECRET]
