import uuid
from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, Group, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.fields import EncryptedSecretField
from accounts.managers import UserManager


# TODO: the labels below (verbose names, choices) are English source strings,
# so the admin shows them in English under Spanish too; making Spanish their
# source needs an options-only migration.
class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address.

    Tiers (customer, seller, premium, corporate, staff, admin) are Django
    groups, so their permissions are edited in the admin.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("email"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_uniq"),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class RevokeReason(models.TextChoices):
    LOGOUT = "logout", _("logout")
    LOGOUT_ALL = "logout_all", _("logout from every device")
    ENDED_BY_USER = "ended_by_user", _("ended from the session list")
    REUSE_DETECTED = "reuse_detected", _("rotated refresh token reused")
    DEACTIVATED = "deactivated", _("user deactivated")
    PASSWORD_CHANGED = "password_changed", _("password changed")
    EXPIRED = "expired", _("expired")


class TokenFamily(models.Model):
    """One login session: every refresh and access token minted from it.

    Refresh tokens rotate; ``current_jti`` is the only one that may be used
    next. ``previous_jti`` is the one it replaced, accepted again only
    during the grace window so that two racing refreshes get the same pair.
    Any other jti of the family is a reuse and revokes the whole family.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="token_families"
    )
    user_agent = models.CharField(max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    generation = models.PositiveIntegerField(default=0)
    current_jti = models.CharField(max_length=64, unique=True)
    current_issued_at = models.PositiveBigIntegerField()
    previous_jti = models.CharField(max_length=64, blank=True)
    rotated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(
        max_length=20, choices=RevokeReason.choices, blank=True
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [
            models.Index(
                fields=["user", "revoked_at"], name="accounts_family_user_live"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class TokenReuseEvent(models.Model):
    """A rotated refresh token was presented again: the family was revoked."""

    id = models.BigAutoField(primary_key=True)
    family = models.ForeignKey(
        TokenFamily, on_delete=models.CASCADE, related_name="reuse_events"
    )
    presented_jti = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    detected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-detected_at"]
        verbose_name = _("refresh token reuse")
        verbose_name_plural = _("refresh token reuses")

    def __str__(self) -> str:
        return f"{self.family_id} {self.detected_at:%Y-%m-%d %H:%M}"


class TOTPDevice(models.Model):
    """A user's authenticator app secret (RFC 6238, 30 s steps, 6 digits)."""

    id = models.BigAutoField(primary_key=True)
    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="totp_device"
    )
    # Base32 secret, clear in Python, a Fernet token in the column (sized
    # for the token, not the secret): accounts.encryption.
    secret = EncryptedSecretField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Time step of the last accepted code: a code is never accepted twice.
    last_used_step = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["user"]
        verbose_name = _("TOTP device")
        verbose_name_plural = _("TOTP devices")

    def __str__(self) -> str:
        return f"TOTP {self.user_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_readable(self) -> bool:
        # False when the stored secret cannot be decrypted (key changed).
        return bool(self.secret)


class Role(Group):
    """A tier as staff edit it in the admin: a group and its permissions.

    A proxy of ``auth.Group``; it also carries the permissions that belong
    to no table (dashboards, tier assignment), so they can be granted in the
    admin like any model permission.
    """

    class Meta:
        proxy = True
        ordering = ["name"]
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        permissions = [
            ("view_premium_dashboard", _("Can view the premium dashboard")),
            ("view_corporate_dashboard", _("Can view the corporate dashboard")),
            ("view_ranking_history", _("Can view ranking histories")),
            ("assign_tier", _("Can assign tiers to users")),
        ]
