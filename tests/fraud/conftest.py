import pytest

BROWSER = {
    "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0",
    "HTTP_ACCEPT_LANGUAGE": "es-PY,es;q=0.9",
}


@pytest.fixture
def browser_headers() -> dict[str, str]:
    return dict(BROWSER)
