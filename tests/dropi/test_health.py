import pytest


@pytest.mark.django_db
def test_health_reports_database_ok_and_in_process_tasks(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "in-process",
    }


@pytest.mark.django_db
def test_health_reports_unreachable_broker_as_503(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from dropi.celery import app

    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/health/")
    finally:
        app.conf.broker_url = "memory://"

    assert response.status_code == 503
    assert response.json()["broker"] == "down"
