"""Authentication backend refusing risky attempts on every login path."""

from typing import Any

from django.core.exceptions import PermissionDenied

from accounts.lockout import lockout_username
from fraud.services import LoginAction, login_attempt_check


class LoginRiskBackend:
    """Score an attempt the view did not score; refuse block and challenge.

    Placed after the axes backend and before ``ModelBackend``. It never
    authenticates anyone: it returns ``None`` or raises ``PermissionDenied``
    (which stops ``authenticate`` and fires ``user_login_failed``). Paths
    without a second-factor step (the admin login) refuse a challenge;
    the JWT view scores the attempt itself and asks for the TOTP code.
    """

    def authenticate(self, request: Any, **credentials: Any) -> None:
        if request is None or "fraud_login_decision" in request.__dict__:
            return
        email = lockout_username(request, credentials) or ""
        decision = login_attempt_check(request=request, email=email)
        request.__dict__["fraud_login_owner"] = "backend"
        if decision.action == LoginAction.BLOCK:
            # The axes middleware turns the flag into its 429 answer.
            # TODO: that answer's Retry-After is the axes cool-off, not the
            # remaining block time; a client may retry too early (and is
            # refused again).
            request.axes_locked_out = True
        if decision.action != LoginAction.ALLOW:
            raise PermissionDenied(decision.action)
        return
