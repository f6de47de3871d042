"""Encrypt the TOTP secrets already stored (reversible).

The column is widened for the Fernet token, the existing rows are
encrypted through a plain ``CharField`` view of the column, and only then
does the field become ``EncryptedSecretField`` (no SQL: same column type).
Reversing decrypts the rows and narrows the column again.
"""

from django.db import migrations, models

import accounts.fields


def _devices_with_secret(apps, schema_editor):
    device_model = apps.get_model("accounts", "TOTPDevice")
    devices = device_model.objects.using(schema_editor.connection.alias)
    return devices.exclude(secret="").only("pk", "secret")


def _encrypt_rows(apps, schema_editor):
    from accounts.encryption import SecretUnreadable, secret_decrypt, secret_encrypt

    for device in _devices_with_secret(apps, schema_editor):
        try:
            secret_decrypt(device.secret)
            continue  # Already encrypted (a rerun): leave it.
        except SecretUnreadable:
            pass
        device.secret = secret_encrypt(device.secret)
        device.save(update_fields=["secret"])


def _decrypt_rows(apps, schema_editor):
    from accounts.encryption import secret_decrypt

    # An unreadable row stops the reversal rather than losing the secret.
    for device in _devices_with_secret(apps, schema_editor):
        device.secret = secret_decrypt(device.secret)
        device.save(update_fields=["secret"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_grant_store_rankings_fraud"),
    ]

    operations = [
        migrations.AlterField(
            model_name="totpdevice",
            name="secret",
            field=models.CharField(max_length=255),
        ),
        migrations.RunPython(_encrypt_rows, _decrypt_rows, elidable=False),
        migrations.AlterField(
            model_name="totpdevice",
            name="secret",
            field=accounts.fields.EncryptedSecretField(max_length=255),
        ),
    ]
