import pytest
from django.test import RequestFactory

from fraud.client import (
    client_address_get,
    client_device_hash,
    client_is_bot_like,
)


def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_forwarded_header_is_ignored_without_a_trusted_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    address = client_address_get(
        _request(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    )

    assert address == "203.0.113.5"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "6.6.6.6, 198.51.100.20", "198.51.100.20"),
        (2, "6.6.6.6, 198.51.100.20, 10.0.0.2", "198.51.100.20"),
        (1, "198.51.100.20", "198.51.100.20"),
    ],
    ids=["one-proxy-spoofed-left", "two-proxies", "one-proxy-clean"],
)
def test_forwarded_header_is_counted_from_the_right(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies

    address = client_address_get(
        _request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    )

    assert address == expected


def test_garbage_in_the_forwarded_header_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    address = client_address_get(
        _request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="<script>")
    )

    assert address == "10.0.0.1"


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        ("", True),
        ("python-requests/2.32", True),
        ("curl/8.5.0", True),
        ("Mozilla/5.0 (compatible; Googlebot/2.1)", True),
        ("Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0", False),
    ],
)
def test_bot_like_clients_are_recognised(user_agent, expected):
    assert client_is_bot_like(_request(HTTP_USER_AGENT=user_agent)) is expected


def test_device_hash_changes_with_the_user_agent():
    first = client_device_hash(_request(HTTP_USER_AGENT="A", HTTP_ACCEPT_LANGUAGE="es"))
    second = client_device_hash(
        _request(HTTP_USER_AGENT="B", HTTP_ACCEPT_LANGUAGE="es")
    )

    assert first != second
    assert len(first) == 64
