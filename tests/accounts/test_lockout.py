from django.test import Client

from tests.accounts.factories import UserFactory


def test_admin_login_lockout_is_429_with_retry_after(db):
    staff = UserFactory(is_staff=True, email="jefa@example.com")
    client = Client()

    for _ in range(5):
        client.post("/admin/login/", {"username": staff.email, "password": "wrong"})
    response = client.post(
        "/admin/login/", {"username": "JEFA@example.com", "password": "S3guro!pass"}
    )

    assert response.status_code == 429
    assert 890 <= int(response["Retry-After"]) <= 900
    assert "Demasiados intentos" in response.content.decode()
