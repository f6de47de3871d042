"""Signal receivers: axes lockouts and logins outside the JWT view.

The JWT login view scores and records its own attempts; the admin login
(and any other path using ``authenticate(request=...)``) is scored by
``fraud.backends.LoginRiskBackend`` and recorded here.
"""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from accounts.lockout import lockout_username
from fraud.services import (
    LoginAction,
    LoginDecision,
    login_attempt_check,
    login_attempt_record,
    login_lockout_register,
)


@receiver(user_locked_out, dispatch_uid="fraud_user_locked_out")
def axes_user_locked_out(
    request: Any, username: str | None, ip_address: str, **kwargs: Any
) -> None:
    if request is None or not username:
        return
    login_lockout_register(request=request, email=username, address=ip_address)


def _owned_by_view(request: Any) -> bool:
    return request.__dict__.get("fraud_login_owner") != "backend" and (
        "fraud_login_decision" in request.__dict__
    )


def _record(request: Any, email: str, succeeded: bool) -> None:
    if request is None or request.__dict__.get("fraud_login_recorded"):
        return
    if _owned_by_view(request):
        return
    decision = request.__dict__.get("fraud_login_decision")
    if not isinstance(decision, LoginDecision):
        # Refused before the risk backend ran (an axes lockout): score now.
        decision = login_attempt_check(request=request, email=email)
        if succeeded and decision.action != LoginAction.ALLOW:
            decision = LoginDecision(action=LoginAction.ALLOW, reasons=decision.reasons)
    login_attempt_record(
        request=request, email=email, succeeded=succeeded, decision=decision
    )


@receiver(user_login_failed, dispatch_uid="fraud_user_login_failed")
def login_failed(
    sender: Any, credentials: dict, request: Any = None, **kwargs: Any
) -> None:
    email = lockout_username(request, credentials) or ""
    _record(request, email, succeeded=False)


@receiver(user_logged_in, dispatch_uid="fraud_user_logged_in")
def logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _record(request, user.get_username(), succeeded=True)
