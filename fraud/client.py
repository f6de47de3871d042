"""Who is on the other end of a request: address, user agent, device.

The address is ``REMOTE_ADDR`` unless ``TRUSTED_PROXY_COUNT`` declares the
proxies in front of the app; then it is read from ``X-Forwarded-For``
counted from the right, where the trusted proxies append, so whatever a
client writes at the left of the header is never taken.
"""

import hashlib
import ipaddress
import re
from typing import Any

from django.conf import settings

UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104 (a marker, never bound)

# Substrings of user agents sent by scripts, crawlers and headless browsers.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|curl|wget|python-requests|python-urllib|httpx|"
    r"aiohttp|go-http-client|libwww|scrapy|headless|phantomjs|"
    r"selenium|puppeteer|playwright|httpie|postman",
    re.IGNORECASE,
)


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address_get(request: Any) -> str:
    """Return the client address the deployment allows to be known."""
    meta = request.META
    remote = _valid_address(meta.get("REMOTE_ADDR", "")) or UNKNOWN_ADDRESS
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote

    forwarded = [
        part.strip()
        for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if not forwarded:
        return remote
    # Each trusted proxy appends the address it received the request from;
    # with n proxies the client is the n-th entry from the right.
    candidate = forwarded[-min(proxies, len(forwarded))]

    return _valid_address(candidate) or remote


def client_user_agent_get(request: Any) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:400]


def client_device_hash(request: Any) -> str:
    """Hash what the client says about itself into a device fingerprint."""
    meta = request.META
    parts = [
        meta.get("HTTP_USER_AGENT", ""),
        meta.get("HTTP_ACCEPT_LANGUAGE", ""),
        meta.get("HTTP_SEC_CH_UA_PLATFORM", ""),
    ]

    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def client_is_bot_like(request: Any) -> bool:
    user_agent = client_user_agent_get(request).strip()
    return not user_agent or bool(BOT_USER_AGENT.search(user_agent))


def client_lacks_accept_language(request: Any) -> bool:
    return not request.META.get("HTTP_ACCEPT_LANGUAGE", "").strip()
