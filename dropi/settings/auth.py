"""Token, lockout and session settings (simplejwt, django-axes)."""

from datetime import timedelta

from dropi.settings.env import env

SIMPLE_JWT = {
    # Access tokens are not checked against the blacklist (FIELD-NOTES), so
    # they are kept short: a revoked session dies within this lifetime.
    "ACCESS_TOKEN_LIFETIME": timedelta(
        minutes=env.int("JWT_ACCESS_MINUTES", default=5)
    ),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "CHECK_REVOKE_TOKEN": True,
    "CHECK_USER_IS_ACTIVE": True,
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
}

AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
# The client address is resolved in dropi/settings/fraud.py
# (AXES_CLIENT_IP_CALLABLE): REMOTE_ADDR unless TRUSTED_PROXY_COUNT is set.

# A rotated refresh token presented again within this many seconds gets the
# same new pair (two tabs or a retry racing); later it counts as theft.
DROPI_REFRESH_GRACE_SECONDS = env.int("JWT_REFRESH_GRACE_SECONDS", default=10)
# last_used_at of a session is written at most this often by access tokens.
DROPI_SESSION_TOUCH_SECONDS = 60
# Revoked and expired sessions are kept this long for the record, then
# deleted by accounts.tasks.session_flush_expired_task.
DROPI_SESSION_RETENTION_DAYS = env.int("SESSION_RETENTION_DAYS", default=30)
DROPI_TOTP_ISSUER = env("TOTP_ISSUER", default="DROPi")
# Fernet key(s) encrypting TOTP secrets at rest, comma-separated (the first
# encrypts). Empty: derived from SECRET_KEY (accounts.encryption), so
# rotating SECRET_KEY then means every device must be enrolled again.
TOTP_ENCRYPTION_KEY = env("TOTP_ENCRYPTION_KEY", default="")
# The JWT login and the admin login answer a lockout through this callable.
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
# However often it is refreshed, a session ends this long after its login.
DROPI_SESSION_MAX_DAYS = env.int("SESSION_MAX_DAYS", default=30)
