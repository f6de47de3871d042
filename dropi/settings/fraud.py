"""Anti-fraud and audit settings: client address, lockout tiers, audit.

Imported at the end of ``base.py``, after ``auth.py``: the axes values set
here (progressive cool-off, client address) replace the plain ones there.
The lockout answer and the username normaliser stay in ``auth.py``
(``accounts.lockout``).
"""

from datetime import timedelta

from dropi.settings.auth import AXES_COOLOFF_TIME as _BASE_COOLOFF
from dropi.settings.celery import DROPI_PERIODIC_TASKS as _PERIODIC_TASKS
from dropi.settings.env import env

# How many reverse proxies sit in front of the app. 0 (the default): the
# client address is REMOTE_ADDR and X-Forwarded-For is ignored entirely.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# One resolver for axes, the risk scoring and the audit trail, so a client
# cannot choose its own address by sending a header. django-ipware is not
# installed, so axes would otherwise ignore the AXES_IPWARE_* settings.
AXES_CLIENT_IP_CALLABLE = "fraud.client.client_address_get"
# Progressive cool-off: the n-th lockout of one account from one address
# within FRAUD_LOCKOUT_TIER_WINDOW lasts FRAUD_LOCKOUT_TIERS[n] (the last
# tier repeats). The first tier is AXES_COOLOFF_MINUTES.
FRAUD_LOCKOUT_TIERS = [
    _BASE_COOLOFF * factor
    for factor in env.list(
        "FRAUD_LOCKOUT_TIER_FACTORS", cast=int, default=[1, 4, 24, 96]
    )
]
FRAUD_LOCKOUT_TIER_WINDOW = timedelta(
    hours=env.int("FRAUD_LOCKOUT_TIER_WINDOW_HOURS", default=48)
)
AXES_COOLOFF_TIME = "fraud.lockout.lockout_cool_off_get"
# Per-attempt expiry rows: with a cool-off that differs per client, the
# global "older than the cool-off" clean-up of axes would otherwise delete
# a repeat offender's attempts after the shortest tier.
AXES_USE_ATTEMPT_EXPIRATION = True

# Login attempts and ended lockouts older than this are deleted nightly by
# fraud.tasks.login_history_prune_task (the audit trail keeps the logins).
FRAUD_LOGIN_HISTORY_DAYS = env.int("FRAUD_LOGIN_HISTORY_DAYS", default=90)
# Imported from celery.py (loaded just before this module) and extended.
DROPI_PERIODIC_TASKS = [
    *_PERIODIC_TASKS,
    {
        "name": "fraud-login-history-prune",
        "task": "fraud.tasks.login_history_prune_task",
        "crontab": {"minute": "30", "hour": "4"},
        "timezone": "America/Asuncion",
        "kwargs": {},
        "description": "Delete login attempts and lockouts past their retention.",
    },
]

# API writes under these prefixes are recorded by the audit middleware;
# logins are recorded by the fraud services with their decision instead.
AUDIT_API_PREFIX = "/api/"
AUDIT_API_SKIP_PATHS = ["/api/auth/login/"]
