"""Writes of the accounts app: sessions (token families), login, users."""

import hmac
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

import pyotp
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in, user_login_failed
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.utils import get_md5_hash_password

from accounts.lockout import lockout_message, lockout_retry_after
from accounts.models import (
    RevokeReason,
    TokenFamily,
    TokenReuseEvent,
    TOTPDevice,
    User,
)
from accounts.roles import Tier
from accounts.tokens import (
    FAMILY_CLAIM,
    FamilyRefreshToken,
    TokenPair,
    refresh_lifetime,
    token_pair_mint,
)
from audit.services import audit_change_note
from crm.services import customer_ensure_for_user
from dropi.exceptions import ApplicationError
from fraud.services import (
    LoginAction,
    LoginDecision,
    blocklist_check_signup,
    login_attempt_check,
    login_attempt_record,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClientInfo:
    """Where a request comes from, as stored on a session."""

    ip_address: str | None
    user_agent: str


def client_info(request: HttpRequest) -> ClientInfo:
    """Read the client address (axes/ipware rules) and user agent."""
    return ClientInfo(
        ip_address=get_client_ip_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
    )


class TokenRefused(ApplicationError):
    """A refresh or access token is not (or no longer) usable: 401."""

    status_code = 401


@dataclass
class LoginRefused(Exception):
    """The login gave no tokens; the view renders it with its headers."""

    status_code: int
    code: str
    message: str
    retry_after: int | None = None
    reasons: list[str] = field(default_factory=list)


# Sessions -----------------------------------------------------------------


def _epoch(moment) -> int:
    return int(moment.timestamp())


def _session_expiry(created_at, now):
    # Refresh tokens slide (each rotation grants a full lifetime) but a
    # session never outlives DROPI_SESSION_MAX_DAYS from its login.
    cap = created_at + timedelta(days=settings.DROPI_SESSION_MAX_DAYS)
    return min(now + refresh_lifetime(), cap)


def token_family_create(*, user: User, client: ClientInfo) -> TokenPair:
    """Open a session for ``user`` and mint its first token pair."""
    now = timezone.now()
    family = TokenFamily(
        user=user,
        ip_address=client.ip_address,
        user_agent=client.user_agent,
        created_at=now,
        last_used_at=now,
        expires_at=_session_expiry(now, now),
        current_jti=uuid.uuid4().hex,
        current_issued_at=_epoch(now),
    )
    family.save()
    logger.info(
        "Session opened", extra={"user_id": str(user.pk), "family_id": str(family.pk)}
    )

    return token_pair_mint(
        user=user,
        family_id=family.pk,
        jti=family.current_jti,
        issued_at=family.current_issued_at,
    )


def _decode_refresh(raw: str) -> FamilyRefreshToken:
    try:
        # simplejwt annotates the encoded token as a Token; it is a string.
        return FamilyRefreshToken(raw)  # type: ignore[arg-type]
    except TokenError as exc:
        raise TokenRefused(
            _("El token de refresco no es válido o expiró."), code="token_not_valid"
        ) from exc


def _family_id(token) -> uuid.UUID:
    try:
        return uuid.UUID(str(token[FAMILY_CLAIM]))
    except (KeyError, ValueError) as exc:
        raise TokenRefused(
            _("El token no pertenece a ninguna sesión."), code="token_not_valid"
        ) from exc


def _revoke(family: TokenFamily, reason: str, now) -> None:
    family.revoked_at = now
    family.revoked_reason = reason
    family.save(update_fields=["revoked_at", "revoked_reason"])


def token_family_rotate(*, raw_refresh: str, client: ClientInfo) -> TokenPair:
    """Exchange a refresh token for a new pair; each token works once.

    The family row is locked for the exchange, so two requests with the same
    token run one after the other. The current token rotates; the token it
    replaced is answered with the same new pair during the grace window;
    any other token of the family is a reuse (a stolen copy or the
    legitimate client after the thief rotated): the whole family is revoked
    and a ``TokenReuseEvent`` recorded. Raises ``TokenRefused``.
    """
    token = _decode_refresh(raw_refresh)
    family_id = _family_id(token)
    jti = token[api_settings.JTI_CLAIM]
    now = timezone.now()
    grace = timedelta(seconds=settings.DROPI_REFRESH_GRACE_SECONDS)
    reused = False
    refusal: TokenRefused | None = None

    with transaction.atomic():
        family = (
            TokenFamily.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=family_id)
            .first()
        )
        if family is None or family.revoked_at is not None:
            raise TokenRefused(_("La sesión fue cerrada."), code="session_revoked")
        if family.expires_at <= now:
            raise TokenRefused(
                _("La sesión expiró; inicie sesión de nuevo."), code="session_expired"
            )
        user = family.user
        if not user.is_active:
            _revoke(family, RevokeReason.DEACTIVATED, now)
            refusal = TokenRefused(
                _("La cuenta está desactivada."), code="user_inactive"
            )
        elif token.get(api_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(
            user.password
        ):
            _revoke(family, RevokeReason.PASSWORD_CHANGED, now)
            refusal = TokenRefused(
                _("La contraseña cambió; inicie sesión de nuevo."),
                code="password_changed",
            )
        elif jti == family.current_jti:
            family.previous_jti = family.current_jti
            family.current_jti = uuid.uuid4().hex
            family.current_issued_at = _epoch(now)
            family.rotated_at = now
            family.last_used_at = now
            family.expires_at = _session_expiry(family.created_at, now)
            family.generation += 1
            family.save(
                update_fields=[
                    "previous_jti",
                    "current_jti",
                    "current_issued_at",
                    "rotated_at",
                    "last_used_at",
                    "expires_at",
                    "generation",
                ]
            )
        elif (
            jti == family.previous_jti
            and family.rotated_at is not None
            and now - family.rotated_at <= grace
        ):
            logger.info(
                "Refresh replayed within grace window",
                extra={"family_id": str(family.pk), "user_id": str(user.pk)},
            )
        else:
            reused = True
            _revoke(family, RevokeReason.REUSE_DETECTED, now)
            TokenReuseEvent.objects.create(
                family=family,
                presented_jti=jti,
                ip_address=client.ip_address,
                user_agent=client.user_agent,
                detected_at=now,
            )

    if refusal is not None:
        raise refusal
    if reused:
        logger.warning(
            "Refresh token reuse detected, session revoked",
            extra={
                "family_id": str(family.pk),
                "user_id": str(user.pk),
                "jti": jti,
                "ip_address": client.ip_address,
            },
        )
        raise TokenRefused(
            _("Token de refresco ya usado: la sesión fue cerrada por seguridad."),
            code="token_reused",
        )

    return token_pair_mint(
        user=user,
        family_id=family.pk,
        jti=family.current_jti,
        issued_at=family.current_issued_at,
    )


def token_family_revoke(*, family: TokenFamily, reason: str) -> None:
    """Close one session; its refresh and access tokens stop working."""
    if family.revoked_at is not None:
        return
    _revoke(family, reason, timezone.now())
    logger.info(
        "Session revoked",
        extra={
            "family_id": str(family.pk),
            "user_id": str(family.user_id),
            "reason": reason,
        },
    )


def token_family_revoke_all(*, user: User, reason: str) -> int:
    """Close every open session of ``user``; return how many were open."""
    count = TokenFamily.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )
    logger.info(
        "All sessions revoked",
        extra={"user_id": str(user.pk), "reason": reason, "count": count},
    )

    return count


def session_flush_expired(*, now=None) -> dict[str, int]:
    """Delete expired token rows: simplejwt's and this app's.

    Sessions whose refresh token expired, or that were revoked, more than
    ``DROPI_SESSION_RETENTION_DAYS`` ago are deleted with their reuse
    events; simplejwt's outstanding tokens (and, by cascade, blacklist
    entries) past their expiry are deleted too. Idempotent.
    """
    now = now or timezone.now()
    horizon = now - timedelta(days=settings.DROPI_SESSION_RETENTION_DAYS)
    old_tokens = OutstandingToken.objects.filter(expires_at__lte=now)
    old_families = TokenFamily.objects.filter(
        Q(expires_at__lte=horizon) | Q(revoked_at__lte=horizon)
    )
    # delete() counts cascaded rows too; report the rows of each table.
    tokens = old_tokens.delete()[1].get(OutstandingToken._meta.label, 0)
    families = old_families.delete()[1].get(TokenFamily._meta.label, 0)
    result = {"outstanding_tokens": tokens, "sessions": families}
    logger.info("Expired sessions flushed", extra=result)

    return result


# TOTP -----------------------------------------------------------------


def _totp(device: TOTPDevice) -> pyotp.TOTP:
    if not device.is_readable:
        # An empty key would give codes anyone can compute.
        raise ValueError("TOTP device has no usable secret")
    return pyotp.TOTP(device.secret)


def totp_device_start_for_self(*, user: User, password: str) -> str:
    """Start enrolment for the signed-in user after re-checking the password.

    An access token alone must not be enough to put a second factor on an
    account: a stolen token could otherwise enrol the thief's phone and
    lock the owner out. Raises ``ApplicationError`` (403) on a wrong
    password; the view throttles it like a login.
    """
    if not user.check_password(password):
        logger.warning(
            "TOTP enrolment refused: wrong password", extra={"user_id": str(user.pk)}
        )
        raise ApplicationError(
            _("La contraseña no es correcta."),
            code="password_incorrect",
            status_code=403,
        )

    return totp_device_start(user=user)


def totp_device_start(*, user: User) -> str:
    """Create (or replace an unconfirmed) device; return its otpauth URI.

    A confirmed device is never replaced here: someone holding a stolen
    access token must not be able to move the second factor to a phone of
    theirs. Raises ``ApplicationError`` when one is already confirmed.
    """
    device = TOTPDevice.objects.filter(user=user).first()
    if device is not None and device.is_confirmed:
        raise ApplicationError(
            _(
                "Ya tiene un autenticador confirmado; pida a un administrador que lo reinicie."
            ),
            code="totp_already_confirmed",
            status_code=409,
        )
    if device is None:
        device = TOTPDevice(user=user)
    device.secret = pyotp.random_base32(32)
    device.created_at = timezone.now()
    device.last_used_step = 0
    device.save()
    logger.info("TOTP enrolment started", extra={"user_id": str(user.pk)})

    return totp_provisioning_uri(device=device)


def totp_provisioning_uri(*, device: TOTPDevice) -> str:
    """Return the otpauth:// URI an authenticator app loads for ``device``."""
    return _totp(device).provisioning_uri(
        name=device.user.email, issuer_name=settings.DROPI_TOTP_ISSUER
    )


def totp_device_enrol_confirmed(*, user: User) -> TOTPDevice:
    """Give ``user`` a new device that needs no confirming code.

    For the local admin made by ``ensure_admin``, whose secret is printed
    on the console. Replaces any device the user had.
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user,
            secret=pyotp.random_base32(32),
            confirmed_at=timezone.now(),
        )
    logger.info(
        "TOTP device enrolled without confirming code", extra={"user_id": str(user.pk)}
    )

    return device


def totp_device_confirm_first_use(*, device: TOTPDevice) -> None:
    """Confirm a device set up by ``totp_enroll`` after its first good code."""
    if device.is_confirmed:
        return
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    logger.info(
        "TOTP device confirmed at login", extra={"user_id": str(device.user_id)}
    )


def totp_code_verify(*, device: TOTPDevice, code: str) -> bool:
    """Check a 6-digit code (one step of clock drift allowed), once only.

    The accepted step is stored, so the same code (or an older one) cannot
    be replayed. Locks the device row for the check.
    """
    code = (code or "").strip()
    if not (len(code) == 6 and code.isdigit()) or not device.is_readable:
        return False
    totp = _totp(device)
    now_step = totp.timecode(timezone.now())
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        for step in (now_step, now_step - 1, now_step + 1):
            if step <= locked.last_used_step:
                continue
            if hmac.compare_digest(totp.generate_otp(step), code):
                locked.last_used_step = step
                locked.save(update_fields=["last_used_step"])
                device.last_used_step = step
                return True

    return False


def totp_device_confirm(*, user: User, code: str) -> TOTPDevice:
    """Confirm the device started by ``totp_device_start`` with a code."""
    device = TOTPDevice.objects.filter(user=user).first()
    if device is None:
        raise ApplicationError(
            _("No hay ningún autenticador en alta; empiece por POST /api/auth/totp/."),
            code="totp_not_started",
        )
    if device.is_confirmed:
        raise ApplicationError(
            _("El autenticador ya está confirmado."),
            code="totp_already_confirmed",
            status_code=409,
        )
    if not totp_code_verify(device=device, code=code):
        raise ApplicationError(_("El código no es válido."), code="otp_invalid")
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    logger.info("TOTP device confirmed", extra={"user_id": str(user.pk)})

    return device


# Login -----------------------------------------------------------------


def _raise_if_locked(*, request: HttpRequest, email: str) -> None:
    # Set by django-axes on the request when this attempt hit the limit.
    if getattr(request, "axes_locked_out", False):
        raise LoginRefused(
            429,
            "locked",
            lockout_message(),
            retry_after=lockout_retry_after(request=request, username=email),
        )


def _second_factor_check(
    *, request: HttpRequest, user: User, email: str, otp: str, decision: LoginDecision
) -> None:
    device = TOTPDevice.objects.filter(user=user).first()
    confirmed = device is not None and device.is_confirmed
    if device is not None and not confirmed and not user.is_staff:
        # Only staff may finish enrolment at login (their device comes from
        # the totp_enroll command); others confirm through the API.
        device = None
    challenged = decision.action == LoginAction.CHALLENGE
    if not (user.is_staff or challenged or confirmed):
        return
    if device is None:
        if user.is_staff:
            raise LoginRefused(
                403,
                "totp_enrollment_required",
                _(
                    "Las cuentas de staff deben usar un segundo factor (TOTP). "
                    "Pida a un administrador que ejecute "
                    "`manage.py totp_enroll <email>` y configure su aplicación."
                ),
            )
        raise LoginRefused(
            403,
            "challenge_refused",
            _(
                "Este intento parece inusual y la cuenta no tiene segundo "
                "factor: inténtelo más tarde desde un dispositivo habitual "
                "o active TOTP."
            ),
            retry_after=decision.retry_after_seconds,
            reasons=list(decision.reasons),
        )
    if not device.is_readable:
        raise LoginRefused(
            403,
            "totp_reset_required",
            _(
                "El segundo factor de esta cuenta debe configurarse de nuevo. "
                "Pida a un administrador que lo reinicie."
            ),
        )
    if not otp:
        raise LoginRefused(
            401,
            "otp_required",
            _("Introduzca el código de su aplicación de autenticación."),
        )
    if not totp_code_verify(device=device, code=otp):
        # A wrong code counts as a failed login for axes, so the code
        # cannot be brute-forced behind a known password.
        user_login_failed.send(
            sender=__name__, credentials={"email": email}, request=request
        )
        _raise_if_locked(request=request, email=email)
        raise LoginRefused(401, "otp_invalid", _("El código no es válido."))
    # A device set up by `totp_enroll` is confirmed by its first code.
    totp_device_confirm_first_use(device=device)


def auth_login(
    *, request: HttpRequest, email: str, password: str, otp: str = ""
) -> TokenPair:
    """Check a login attempt end to end and open a session.

    Order: fraud pre-check (block refuses before the password is looked
    at), ``authenticate`` with the request (django-axes counts and locks),
    second factor (always for staff and for users with a confirmed device;
    a fraud ``challenge`` without a device is refused), then the session.
    Every outcome is reported to ``fraud.login_attempt_record``. Raises
    ``LoginRefused``.
    """
    decision = login_attempt_check(request=request, email=email)
    try:
        if decision.action == LoginAction.BLOCK:
            raise LoginRefused(
                403,
                "login_blocked",
                _(
                    "Intento de acceso bloqueado por seguridad. Vuelva a intentarlo más tarde."
                ),
                retry_after=decision.retry_after_seconds,
                reasons=list(decision.reasons),
            )
        user = authenticate(request=request, email=email, password=password)
        if user is None:
            _raise_if_locked(request=request, email=email)
            raise LoginRefused(
                401, "invalid_credentials", _("Email o contraseña incorrectos.")
            )
        _second_factor_check(
            request=request, user=user, email=email, otp=otp, decision=decision
        )
    except LoginRefused as refusal:
        login_attempt_record(
            request=request, email=email, succeeded=False, decision=decision
        )
        logger.info(
            "Login refused", extra={"code": refusal.code, "status": refusal.status_code}
        )
        raise

    pair = token_family_create(user=user, client=client_info(request))
    # Updates last_login and lets axes reset this account's failure count.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    login_attempt_record(
        request=request, email=email, succeeded=True, decision=decision
    )

    return pair


# Users -----------------------------------------------------------------


def _email_taken() -> ApplicationError:
    return ApplicationError(
        _("Ya existe una cuenta con este email."),
        code="email_taken",
        extra={"field": "email"},
    )


def user_signup(
    *, email: str, password: str, full_name: str = "", address: str | None
) -> User:
    """Create a ``customer`` account and its CRM customer record.

    Checks, before anything is written: the fraud blocklists for the email
    domain and the client ``address`` (``ApplicationError`` 403
    ``signup_blocked``), an existing account with the same email in any
    letter case (400 ``email_taken``) and Django's password validators
    (``ValidationError`` on ``password``). User, tier group and customer
    are written in one transaction.
    """
    email = User.objects.normalize_email(email.strip()).lower()
    full_name = full_name.strip()
    blocklist_check_signup(email=email, address=address or "")
    # TODO: email_taken tells anyone that an address has an account (the
    # login never does); only a confirmation-email flow would hide it.
    if User.objects.filter(email__iexact=email).exists():
        raise _email_taken()
    try:
        validate_password(password, user=User(email=email, full_name=full_name))
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc

    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, password=password, full_name=full_name
            )
            user_set_tiers(user=user, tiers=[Tier.CUSTOMER], actor=user)
            customer = customer_ensure_for_user(user=user)
    except IntegrityError as exc:
        # Two sign-ups racing with one address: the unique index decides.
        raise _email_taken() from exc
    except ValidationError as exc:
        # The same race, seen by the model's own unique check instead.
        if "email" in getattr(exc, "error_dict", {}):
            raise _email_taken() from exc
        raise

    audit_change_note(
        obj=user,
        before=None,
        after={"email": user.email, "full_name": user.full_name, "tier": "customer"},
    )
    logger.info(
        "User signed up",
        extra={"user_id": str(user.pk), "customer_id": str(customer.pk)},
    )

    return user


def user_deactivate(*, user: User, actor: User) -> User:
    """Deactivate ``user`` and close all their sessions at once."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        token_family_revoke_all(user=user, reason=RevokeReason.DEACTIVATED)
    logger.info(
        "User deactivated", extra={"user_id": str(user.pk), "actor_id": str(actor.pk)}
    )

    return user


def user_activate(*, user: User, actor: User) -> User:
    """Allow ``user`` to sign in again (old sessions stay closed)."""
    user.is_active = True
    user.save(update_fields=["is_active"])
    logger.info(
        "User activated", extra={"user_id": str(user.pk), "actor_id": str(actor.pk)}
    )

    return user


def user_set_tiers(*, user: User, tiers: Iterable[str], actor: User) -> User:
    """Make ``user``'s tier groups exactly ``tiers``; other groups are kept.

    Raises ``ApplicationError`` for an unknown tier or a tier group that
    does not exist (run the migrations).
    """
    wanted = set(tiers)
    unknown = wanted - set(Tier.values)
    if unknown:
        raise ApplicationError(
            _("Nivel desconocido: %(tiers)s.") % {"tiers": ", ".join(sorted(unknown))},
            code="unknown_tier",
            extra={"tiers": sorted(unknown)},
        )
    groups = {group.name: group for group in Group.objects.filter(name__in=Tier.values)}
    missing = wanted - set(groups)
    if missing:
        raise ApplicationError(
            _("Falta el grupo del nivel: %(tiers)s.")
            % {"tiers": ", ".join(sorted(missing))},
            code="tier_group_missing",
        )
    with transaction.atomic():
        before = sorted(
            user.groups.filter(name__in=Tier.values).values_list("name", flat=True)
        )
        # Only real changes: removing a group the user never had would still
        # reach the audit trail as a removal.
        drop = [groups[name] for name in before if name not in wanted]
        grant = [groups[name] for name in wanted if name not in before]
        if drop:
            user.groups.remove(*drop)
        if grant:
            user.groups.add(*grant)
    logger.info(
        "User tiers changed",
        extra={
            "user_id": str(user.pk),
            "actor_id": str(actor.pk),
            "tiers_before": before,
            "tiers_after": sorted(wanted),
        },
    )

    return user


def totp_device_reset(*, user: User, actor: User) -> bool:
    """Delete ``user``'s TOTP device so they enrol again; log who did it."""
    deleted, _detail = TOTPDevice.objects.filter(user=user).delete()
    logger.warning(
        "TOTP device reset",
        extra={"user_id": str(user.pk), "actor_id": str(actor.pk)},
    )

    return bool(deleted)
