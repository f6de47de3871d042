import pytest
from django.core.exceptions import ValidationError
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
