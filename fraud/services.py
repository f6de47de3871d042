"""Login protection and order risk (placeholder contract, see below).

The login view (``accounts``) calls ``login_attempt_check`` before it
authenticates and ``login_attempt_record`` after. Until the fraud rules are
written, every attempt is allowed; the contract is what the view relies on.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from catalog.models import Order


class LoginAction(StrEnum):
    ALLOW = "allow"
    CHALLENGE = "challenge"
    BLOCK = "block"


@dataclass(frozen=True)
class LoginDecision:
    action: LoginAction
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    retry_after_seconds: int | None = None


def login_attempt_check(*, request: HttpRequest, email: str) -> LoginDecision:
    """Score an attempt before the password is checked."""
    return LoginDecision(action=LoginAction.ALLOW)


def login_attempt_record(
    *,
    request: HttpRequest,
    email: str,
    succeeded: bool,
    decision: LoginDecision,
) -> None:
    """Record the outcome of an attempt (stored with its decision)."""
    return


def order_risk_assess(*, order: "Order") -> None:
    """Score a just-placed order; over the threshold, open a case and hold it.

    Called by the order placement service inside its transaction.
    """
    return


def order_is_held(*, order: "Order") -> bool:
    """Tell whether an open or rejected fraud case stops the order."""
    return False
