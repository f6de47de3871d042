import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import User


@pytest.fixture(autouse=True)
def _clear_cache():
    # Throttle counters and lockouts live in the real Redis cache; each test
    # starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db) -> User:
    return User.objects.create_user(email="ana@example.com", password="S3guro!pass")


@pytest.fixture
def staff_user(db) -> User:
    return User.objects.create_user(
        email="staff@example.com", password="S3guro!pass", is_staff=True
    )
