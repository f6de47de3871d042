import pytest
from django.db import IntegrityError
from rest_framework.test import APIRequestFactory

from dropi.api.exception_handlers import api_exception_handler


@pytest.mark.django_db
def test_deeply_nested_json_is_a_400_not_a_500(api_client):
    body = '{"email": ' + "[" * 5000 + "]" * 5000 + ', "password": "x"}'

    response = api_client.post(
        "/api/auth/login/", data=body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


@pytest.mark.django_db
def test_body_over_the_upload_limit_gets_the_json_error_shape(api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = '{"email": "a@example.com", "password": "' + "x" * 4096 + '"}'

    response = api_client.post(
        "/api/auth/login/", data=body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "bad_request"


@pytest.mark.django_db
def test_malformed_authorization_header_gives_a_plain_message(api_client):
    response = api_client.get(
        "/api/auth/me/", HTTP_AUTHORIZATION="Bearer abc.def.ghi extra"
    )

    assert response.status_code == 401
    message = response.json()["error"]["message"]
    assert "ErrorDetail" not in message
    assert "{" not in message


def test_integrity_error_escaping_a_service_is_a_409_conflict():
    request = APIRequestFactory().post("/api/productos/")

    response = api_exception_handler(
        IntegrityError("duplicate key value violates unique constraint"),
        {"request": request, "view": None},
    )

    assert response is not None
    assert response.status_code == 409
    assert response.data["error"]["code"] == "conflict"


@pytest.mark.django_db
def test_swagger_ui_is_served_without_a_cdn(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn.jsdelivr.net" not in html
    assert "/static/drf_spectacular_sidecar/" in html
