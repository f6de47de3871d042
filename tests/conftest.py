import os
from pathlib import Path

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


def olist_dir_or_skip(directory: str) -> str:
    """Return the Olist folder, or skip; in CI a missing folder fails.

    CI has the shared data beside the clone, so a skip there would hide a
    broken path rather than a machine without the data.
    """
    if (Path(directory) / "olist_orders_dataset.csv").is_file():
        return directory
    if os.environ.get("CI"):
        pytest.fail(f"no Olist data in {directory} (DROPI_OLIST_DIR) under CI")
    pytest.skip(f"no Olist data in {directory}")
