import pyotp
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import RevokeReason, TokenFamily, TOTPDevice, User
from accounts.services import ClientInfo, token_family_create
from tests.accounts.factories import UserFactory


def admin_client():
    superuser = User.objects.create_superuser(email="root@example.com", password="x")
    client = Client()
    client.force_login(superuser)
    return client


def test_deactivate_action_ends_all_sessions(db):
    user = UserFactory()
    token_family_create(user=user, client=ClientInfo("127.0.0.1", "t"))

    response = admin_client().post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate_users", "_selected_action": [user.pk]},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active is False
    assert TokenFamily.objects.get(user=user).revoked_reason == RevokeReason.DEACTIVATED


def test_reset_totp_action_deletes_the_device(db):
    user = UserFactory(is_staff=True)
    device = TOTPDevice.objects.create(
        user=user, secret=pyotp.random_base32(32), confirmed_at=timezone.now()
    )

    admin_client().post(
        reverse("admin:accounts_totpdevice_changelist"),
        {"action": "reset_devices", "_selected_action": [device.pk]},
    )

    assert not TOTPDevice.objects.exists()


def test_tier_and_session_pages_render(db):
    client = admin_client()

    assert client.get(reverse("admin:accounts_role_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:accounts_tokenfamily_changelist")).status_code == 200
    )
    assert (
        client.get(reverse("admin:accounts_tokenreuseevent_changelist")).status_code
        == 200
    )
