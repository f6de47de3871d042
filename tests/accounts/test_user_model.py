from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError

from accounts.models import User


@pytest.mark.django_db
def test_create_user_logs_in_by_email_lower_cased():
    user = User.objects.create_user(email="Ana@Example.COM", password="x-Pass-123")

    assert user.email == "ana@example.com"
    assert user.check_password("x-Pass-123")
    assert not user.is_staff


@pytest.mark.django_db
def test_email_is_unique_ignoring_case():
    User.objects.create_user(email="ana@example.com", password="x")

    with pytest.raises(ValidationError):
        User.objects.create_user(email="ANA@example.com", password="x")


@pytest.mark.django_db
def test_database_refuses_duplicate_email_even_without_validation():
    User.objects.create(email="ana@example.com")

    with pytest.raises(IntegrityError):
        User.objects.create(email="ANA@EXAMPLE.COM")


@pytest.mark.django_db
def test_create_superuser_is_staff_and_superuser():
    admin = User.objects.create_superuser(email="root@example.com", password="x")

    assert admin.is_staff
    assert admin.is_superuser


@pytest.mark.django_db
def test_createsuperuser_noinput_reads_email_and_password_from_the_environment(
    monkeypatch,
):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Boss@Example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "x-Very-Long-77")

    call_command("createsuperuser", "--noinput", stdout=StringIO())

    boss = User.objects.get(email="boss@example.com")
    assert boss.is_superuser
    assert boss.check_password("x-Very-Long-77")
