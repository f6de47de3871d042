"""Login protection and order risk: every write of the fraud app.

The login view (``accounts``) calls ``login_attempt_check`` before it
authenticates and ``login_attempt_record`` after, for every attempt,
including the ones it refused. Order placement calls
``order_risk_assess`` inside its transaction; status changes ask
``order_is_held``.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.context import audit_capture_suppressed
from audit.models import AuditAction
from audit.services import audit_event_record
from dropi.exceptions import ApplicationError
from fraud.blocklist import blocklist_value_normalise
from fraud.client import (
    client_address_get,
    client_device_hash,
    client_is_bot_like,
    client_lacks_accept_language,
    client_user_agent_get,
)
from fraud.lockout import lockout_cool_off_get, lockout_tier_get
from fraud.models import (
    BlocklistEntry,
    BlocklistKind,
    FraudCase,
    FraudCaseStatus,
    LoginAttempt,
    LoginLockout,
)
from fraud.rules import RuleHit, rule_evaluate
from fraud.selectors import (
    blocklist_match,
    fraud_case_blocks_order,
    login_device_is_known,
    login_risk_settings_get,
    login_signal_counts,
    order_risk_rules_for,
    order_risk_settings_get,
    order_vertical_ids,
)

if TYPE_CHECKING:
    from catalog.models import Order

logger = logging.getLogger(__name__)

VELOCITY_WINDOW = timedelta(minutes=1)


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


def _request_mark(request: Any, name: str, value: Any) -> None:
    # A DRF Request wraps the Django one; authenticate() may get either.
    request.__dict__[name] = value
    inner = request.__dict__.get("_request")
    if inner is not None:
        inner.__dict__[name] = value


def _seconds_until(moment: datetime | None, default: int) -> int:
    if moment is None:
        return default
    return max(1, int((moment - timezone.now()).total_seconds()))


def _blocklisted_decision(*, email: str, address: str) -> LoginDecision | None:
    checks = [
        (BlocklistKind.ADDRESS, address, "address_blocklisted"),
        (BlocklistKind.EMAIL_DOMAIN, email, "email_domain_blocklisted"),
    ]
    for kind, value, reason in checks:
        entry = blocklist_match(kind=kind, value=value)
        if entry is not None:
            return LoginDecision(
                action=LoginAction.BLOCK,
                reasons=[reason],
                retry_after_seconds=_seconds_until(entry.expires_at, 24 * 3600),
            )
    return None


def login_risk_score(*, request: Any, email: str) -> tuple[int, list[str]]:
    """Add up the risk signals of an attempt; return (score, reasons)."""
    risk = login_risk_settings_get()
    address = client_address_get(request)
    counts = login_signal_counts(
        email=email,
        address=address,
        window=timedelta(minutes=risk.window_minutes),
        velocity_window=VELOCITY_WINDOW,
    )
    signals: list[tuple[str, int, int]] = [
        (
            "account_failures",
            counts["account_failures"],
            min(
                risk.account_failure_cap,
                counts["account_failures"] * risk.account_failure_points,
            ),
        ),
        (
            "address_failures",
            counts["address_failures"],
            counts["address_failures"] * risk.address_failure_points,
        ),
        (
            "distinct_accounts",
            counts["distinct_accounts"],
            counts["distinct_accounts"] * risk.distinct_account_points,
        ),
    ]
    if counts["address_attempts_last_minute"] >= risk.velocity_limit_per_minute:
        signals.append(
            ("velocity", counts["address_attempts_last_minute"], risk.velocity_points)
        )
    if client_is_bot_like(request):
        signals.append(("bot_client", 1, risk.bot_client_points))
    if client_lacks_accept_language(request):
        signals.append(("no_accept_language", 1, risk.missing_accept_language_points))
    known = login_device_is_known(email=email, device_hash=client_device_hash(request))
    if known is False:
        signals.append(("new_device", 1, risk.new_device_points))

    reasons = [
        f"{code}={count} (+{points})" for code, count, points in signals if points
    ]

    return sum(points for _code, _count, points in signals), reasons


def login_attempt_check(*, request: HttpRequest, email: str) -> LoginDecision:
    """Score an attempt before the password is checked.

    A blocked address or email domain, or a score at or above the block
    threshold, gives BLOCK (refuse even a right password); the latter also
    puts the address on the blocklist for ``block_minutes``. At or above
    the challenge threshold: CHALLENGE (a second factor is required).
    The decision is also kept on the request for ``login_attempt_record``
    and the authentication backend.
    """
    email = (email or "").strip().lower()
    address = client_address_get(request)
    decision = _blocklisted_decision(email=email, address=address)
    if decision is None:
        decision = _score_decision(request=request, email=email, address=address)
    _request_mark(request, "fraud_login_decision", decision)
    if decision.action != LoginAction.ALLOW:
        logger.warning(
            "Login attempt not allowed",
            extra={"decision": str(decision.action), "score": decision.score},
        )

    return decision


def _score_decision(*, request: Any, email: str, address: str) -> LoginDecision:
    risk = login_risk_settings_get()
    score, reasons = login_risk_score(request=request, email=email)
    if score >= risk.block_threshold:
        expires_at = timezone.now() + timedelta(minutes=risk.block_minutes)
        blocklist_add(
            kind=BlocklistKind.ADDRESS,
            value=address,
            reason=f"Login risk score {score}",
            expires_at=expires_at,
        )
        return LoginDecision(
            action=LoginAction.BLOCK,
            score=score,
            reasons=reasons,
            retry_after_seconds=risk.block_minutes * 60,
        )
    if score >= risk.challenge_threshold:
        return LoginDecision(action=LoginAction.CHALLENGE, score=score, reasons=reasons)

    return LoginDecision(action=LoginAction.ALLOW, score=score, reasons=reasons)


def login_attempt_record(
    *,
    request: HttpRequest,
    email: str,
    succeeded: bool,
    decision: LoginDecision,
) -> LoginAttempt:
    """Store the outcome of an attempt with its decision, and audit it."""
    email = (email or "").strip().lower()
    user = get_user_model().objects.filter(email__iexact=email).first()
    attempt = LoginAttempt.objects.create(
        email=email[:254],
        user=user,
        address=client_address_get(request),
        user_agent=client_user_agent_get(request),
        device_hash=client_device_hash(request),
        path=request.path[:200],
        succeeded=succeeded,
        score=decision.score,
        decision=str(decision.action),
        reasons=list(decision.reasons),
    )
    _request_mark(request, "fraud_login_recorded", True)
    audit_event_record(
        action=AuditAction.LOGIN_SUCCESS if succeeded else AuditAction.LOGIN_FAILURE,
        actor=user if succeeded else None,
        request=request,
        object_type="accounts.user",
        object_id=str(user.pk) if user else "",
        object_repr=email[:255],
        context={
            "decision": str(decision.action),
            "score": decision.score,
            "reasons": list(decision.reasons),
        },
    )

    return attempt


def login_lockout_register(*, request: Any, email: str, address: str) -> LoginLockout:
    """Note an axes lockout; tell the owner once per lockout, after commit.

    Axes signals every refused attempt during a lockout; those extend the
    current lockout row instead of opening a new one, so the owner gets
    one email per lockout and the attacker sees nothing different.
    """
    email = (email or "").strip().lower()
    now = timezone.now()
    locked_until = now + lockout_cool_off_get(request)
    active = LoginLockout.objects.filter(
        email=email, address=address, locked_until__gt=now
    ).first()
    if active is not None:
        active.locked_until = max(active.locked_until, locked_until)
        active.save(update_fields=["locked_until"])
        return active

    lockout = LoginLockout.objects.create(
        email=email[:254],
        address=address,
        tier=lockout_tier_get(address=address),
        locked_until=locked_until,
    )
    audit_event_record(
        action=AuditAction.LOGIN_LOCKOUT,
        request=request,
        object_type="accounts.user",
        object_repr=email[:255],
        after={"tier": lockout.tier, "locked_until": lockout.locked_until},
    )
    logger.warning("Login locked out", extra={"login_lockout_id": lockout.pk})
    owner_exists = (
        get_user_model().objects.filter(email__iexact=email, is_active=True).exists()
    )
    if owner_exists:
        from fraud.tasks import login_lockout_owner_notify_task

        transaction.on_commit(
            lambda: login_lockout_owner_notify_task.delay(lockout_id=lockout.pk)
        )

    return lockout


def login_lockout_owner_notify(*, lockout: LoginLockout) -> bool:
    """Email the account owner about a lockout (once); return if sent."""
    if lockout.owner_notified:
        return False
    user = (
        get_user_model()
        .objects.filter(email__iexact=lockout.email, is_active=True)
        .first()
    )
    if user is None:
        return False
    minutes = max(
        1, int((lockout.locked_until - lockout.created_at).total_seconds() // 60)
    )
    send_mail(
        subject=_("DROPi: acceso bloqueado temporalmente"),
        message=_(
            "Hubo varios intentos fallidos de entrar a su cuenta desde la "
            "dirección %(address)s, y el acceso desde ella quedó bloqueado "
            "durante %(minutes)s minutos. Usted puede seguir entrando desde "
            "sus dispositivos habituales. Si no fue usted, cambie su "
            "contraseña."
        )
        % {"address": lockout.address, "minutes": minutes},
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    lockout.owner_notified = True
    lockout.save(update_fields=["owner_notified"])

    return True


def login_history_prune(*, older_than: timedelta) -> int:
    """Delete login attempts and ended lockouts older than ``older_than``.

    The score only looks at the last window and the lockout tiers at the
    last ``FRAUD_LOCKOUT_TIER_WINDOW``; the audit trail keeps the record of
    every login. Returns how many rows were deleted.
    """
    cutoff = timezone.now() - older_than
    attempts, _ = LoginAttempt.objects.filter(created_at__lt=cutoff).delete()
    lockouts, _ = LoginLockout.objects.filter(
        created_at__lt=cutoff, locked_until__lt=cutoff
    ).delete()
    logger.info(
        "Login history pruned", extra={"attempts": attempts, "lockouts": lockouts}
    )

    return attempts + lockouts


def blocklist_add(
    *,
    kind: str,
    value: str,
    reason: str,
    expires_at: datetime | None = None,
    actor: Any = None,
) -> BlocklistEntry:
    """Block ``value``; an entry already lasting as long is reused."""
    normalised = blocklist_value_normalise(kind=kind, value=value)
    if not normalised:
        raise ApplicationError(
            _("El valor a bloquear está vacío."), code="blocklist_empty"
        )
    if not reason.strip():
        raise ApplicationError(
            _("Indique el motivo del bloqueo."), code="blocklist_reason"
        )
    existing = blocklist_match(kind=kind, value=normalised)
    if existing is not None and (
        existing.expires_at is None
        or (expires_at is not None and existing.expires_at >= expires_at)
    ):
        return existing

    entry = BlocklistEntry(
        kind=kind,
        value=normalised,
        reason=reason[:255],
        expires_at=expires_at,
        created_by=actor,
    )
    entry.full_clean()
    with audit_capture_suppressed():
        entry.save()
    audit_event_record(
        action=AuditAction.BLOCKLIST_ADD,
        actor=actor,
        obj=entry,
        after={
            "kind": kind,
            "value": normalised,
            "reason": entry.reason,
            "expires_at": expires_at,
        },
    )
    logger.info("Blocklist entry added", extra={"blocklist_entry_id": entry.pk})

    return entry


def blocklist_check_signup(*, email: str, address: str) -> None:
    """Refuse a sign-up from a blocked address or email domain (403)."""
    if blocklist_match(kind=BlocklistKind.ADDRESS, value=address) or blocklist_match(
        kind=BlocklistKind.EMAIL_DOMAIN, value=email
    ):
        logger.warning("Sign-up refused by blocklist")
        raise ApplicationError(
            _("No es posible crear la cuenta en este momento."),
            code="signup_blocked",
            status_code=403,
        )


def _order_blocklist_hits(*, order: "Order", threshold: int) -> list[RuleHit]:
    checks = [
        (BlocklistKind.PHONE, order.shipping_phone),
        (BlocklistKind.SHIPPING_ADDRESS, order.shipping_address),
        (BlocklistKind.EMAIL_DOMAIN, order.customer.email),
    ]
    return [
        RuleHit(
            code=f"blocklist_{kind}",
            points=threshold,
            reason=f"{BlocklistKind(kind).label}: {entry.reason}",
        )
        for kind, value in checks
        if (entry := blocklist_match(kind=kind, value=value)) is not None
    ]


def order_risk_evaluate(*, order: "Order") -> tuple[int, list[RuleHit]]:
    """Score ``order`` with the rules of its verticals and the blocklists."""
    threshold = order_risk_settings_get().hold_threshold
    hits = _order_blocklist_hits(order=order, threshold=threshold)
    for rule in order_risk_rules_for(vertical_ids=order_vertical_ids(order=order)):
        hit = rule_evaluate(rule=rule, order=order)
        if hit is not None:
            hits.append(hit)

    return sum(hit.points for hit in hits), hits


@transaction.atomic
def order_risk_assess(*, order: "Order") -> FraudCase | None:
    """Score a just-placed order; over the threshold, open a case and hold it.

    Called by the order placement service inside its transaction. Running
    it twice on one order keeps the first case.
    """
    existing = FraudCase.objects.filter(order_id=order.pk).first()
    if existing is not None:
        return existing
    score, hits = order_risk_evaluate(order=order)
    if score < order_risk_settings_get().hold_threshold:
        return None

    return fraud_case_open(
        order=order, score=score, reasons=[hit.as_dict() for hit in hits]
    )


def fraud_case_open(
    *, order: "Order", score: int, reasons: list[dict[str, Any]]
) -> FraudCase:
    case = FraudCase.objects.create(order=order, score=score, reasons=reasons)
    audit_event_record(
        action=AuditAction.FRAUD_CASE_OPEN,
        obj=case,
        after={"status": case.status, "score": score, "reasons": reasons},
    )
    logger.info(
        "Fraud case opened", extra={"fraud_case_id": str(case.pk), "score": score}
    )

    return case


def order_is_held(*, order: "Order") -> bool:
    """Tell whether an open or rejected fraud case stops the order."""
    return fraud_case_blocks_order(order_id=order.pk)


def _fraud_case_decide(
    *, case: FraudCase, status: str, actor: Any, note: str, action: str
) -> FraudCase:
    case = FraudCase.objects.select_for_update().get(pk=case.pk)
    if case.status != FraudCaseStatus.OPEN:
        raise ApplicationError(
            _("El caso ya fue decidido."),
            code="fraud_case_decided",
            extra={"status": case.status},
        )
    if actor is None or not getattr(actor, "is_staff", False):
        raise ApplicationError(
            _("Solo el staff decide casos de fraude."),
            code="fraud_case_forbidden",
            status_code=403,
        )
    before = {"status": case.status, "decided_by": None, "decided_at": None}
    case.status = status
    case.decided_by = actor
    case.decided_at = timezone.now()
    case.decision_note = note[:255]
    with audit_capture_suppressed():
        case.full_clean()
        case.save(
            update_fields=[
                "status",
                "decided_by",
                "decided_at",
                "decision_note",
                "updated_at",
            ]
        )
    audit_event_record(
        action=action,
        actor=actor,
        obj=case,
        before=before,
        after={
            "status": case.status,
            "decided_by": str(actor.pk),
            "decided_at": case.decided_at,
            "note": case.decision_note,
        },
        primary=True,
    )
    logger.info(
        "Fraud case decided",
        extra={"fraud_case_id": str(case.pk), "status": status},
    )

    return case


@transaction.atomic
def fraud_case_approve(*, case: FraudCase, actor: Any, note: str = "") -> FraudCase:
    """Approve an open case: the order is released and may move on."""
    return _fraud_case_decide(
        case=case,
        status=FraudCaseStatus.APPROVED,
        actor=actor,
        note=note,
        action=AuditAction.FRAUD_CASE_APPROVE,
    )


@transaction.atomic
def fraud_case_reject(*, case: FraudCase, actor: Any, note: str = "") -> FraudCase:
    """Reject an open case: the order stays held and is cancelled."""
    case = _fraud_case_decide(
        case=case,
        status=FraudCaseStatus.REJECTED,
        actor=actor,
        note=note,
        action=AuditAction.FRAUD_CASE_REJECT,
    )
    _order_cancel_after_rejection(case=case, actor=actor)

    return case


def _order_cancel_after_rejection(*, case: FraudCase, actor: Any) -> None:
    # Imported here: catalog.services imports this module.
    from catalog.models import OrderStatus
    from catalog.services import order_cancel

    if case.order.status in (OrderStatus.PLACED, OrderStatus.PAID):
        order_cancel(order=case.order, actor=actor)
