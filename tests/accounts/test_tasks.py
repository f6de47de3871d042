from datetime import timedelta

from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import (
    BlacklistedToken,
    OutstandingToken,
)

from accounts.models import TokenFamily, TokenReuseEvent
from accounts.services import ClientInfo, token_family_create
from accounts.tasks import session_flush_expired_task
from tests.accounts.factories import UserFactory


def make_family(user, **fields):
    pair = token_family_create(user=user, client=ClientInfo("127.0.0.1", "test"))
    TokenFamily.objects.filter(pk=pair.family_id).update(**fields)
    return TokenFamily.objects.get(pk=pair.family_id)


def test_flush_deletes_only_old_rows(db, settings):
    settings.DROPI_SESSION_RETENTION_DAYS = 30
    user = UserFactory()
    now = timezone.now()
    live = make_family(user)
    recently_revoked = make_family(user, revoked_at=now - timedelta(days=1))
    old_revoked = make_family(user, revoked_at=now - timedelta(days=31))
    old_expired = make_family(user, expires_at=now - timedelta(days=31))
    TokenReuseEvent.objects.create(family=old_revoked, presented_jti="x")
    expired_token = OutstandingToken.objects.create(
        user=user, jti="old", token="t", expires_at=now - timedelta(minutes=1)
    )
    BlacklistedToken.objects.create(token=expired_token)
    OutstandingToken.objects.create(
        user=user, jti="new", token="t", expires_at=now + timedelta(days=1)
    )

    result = session_flush_expired_task.delay().get()

    assert set(TokenFamily.objects.values_list("pk", flat=True)) == {
        live.pk,
        recently_revoked.pk,
    }
    assert not TokenReuseEvent.objects.exists()
    assert list(OutstandingToken.objects.values_list("jti", flat=True)) == ["new"]
    assert not BlacklistedToken.objects.exists()
    assert result == {"outstanding_tokens": 1, "sessions": 2}
    assert not TokenFamily.objects.filter(pk=old_expired.pk).exists()


def test_flush_twice_deletes_nothing_more(db):
    make_family(UserFactory())

    session_flush_expired_task.delay()

    assert session_flush_expired_task.delay().get() == {
        "outstanding_tokens": 0,
        "sessions": 0,
    }
    assert TokenFamily.objects.count() == 1
