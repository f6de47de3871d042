"""Normalise blocklist values so one entry matches every spelling."""

import ipaddress
import re
import unicodedata

from fraud.models import BlocklistKind


def _address(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return value.strip().lower()


def _email_domain(value: str) -> str:
    domain = value.strip().lower().rsplit("@", 1)[-1].strip(".")
    # One spelling for internationalised names: "bücher.test" and
    # "xn--bcher-kva.test" are the same domain.
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def email_domain_and_parents(domain: str) -> list[str]:
    """List a normalised domain and every parent of it (not the bare TLD).

    A block on ``evil.test`` also covers ``mail.evil.test``.
    """
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(max(len(labels) - 1, 1))]


def _phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    # Paraguay: a local number written with the leading 0 is the same line
    # as the +595 form.
    if digits.startswith("5950"):
        digits = "595" + digits[4:]
    elif digits.startswith("0"):
        digits = "595" + digits[1:]
    return digits


def _shipping_address(value: str) -> str:
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", folded.lower())
    return " ".join(words)


NORMALISERS = {
    BlocklistKind.ADDRESS: _address,
    BlocklistKind.EMAIL_DOMAIN: _email_domain,
    BlocklistKind.PHONE: _phone,
    BlocklistKind.SHIPPING_ADDRESS: _shipping_address,
}


def blocklist_value_normalise(*, kind: str, value: str) -> str:
    return NORMALISERS[BlocklistKind(kind)](value or "")
