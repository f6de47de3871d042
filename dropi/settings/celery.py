"""Celery settings: Redis when a broker is configured, in process otherwise."""

from dropi.settings.env import env

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default=""))
# Without a broker every task runs in the calling process, so the local run
# needs nothing installed.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "America/Asuncion"
CELERY_ENABLE_UTC = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 3600}

# Periodic jobs that `manage.py setup_periodic_tasks` seeds into
# django-celery-beat. A job is created only when no periodic task of that name
# exists, so a schedule staff changed in the admin is never overwritten.
# Each entry: name, task (dotted path), crontab (minute, hour, day_of_week,
# day_of_month, month_of_year; "*" where left out), timezone, kwargs and an
# optional description.
DROPI_PERIODIC_TASKS = [
    {
        "name": "rankings-nightly",
        "task": "rankings.tasks.ranking_nightly_task",
        "crontab": {"minute": "0", "hour": "3"},
        "timezone": "America/Asuncion",
        "kwargs": {},
        "description": "Recompute every ranking for today and email the report.",
    },
    {
        "name": "catalog-unpaid-orders-expire",
        "task": "catalog.tasks.orders_unpaid_expire_task",
        "crontab": {"minute": "*/15"},
        "timezone": "America/Asuncion",
        "kwargs": {},
        "description": "Cancel unpaid orders past ORDER_UNPAID_EXPIRY_HOURS.",
    },
    {
        "name": "accounts-session-flush",
        "task": "accounts.tasks.session_flush_expired_task",
        "crontab": {"minute": "30", "hour": "3"},
        "timezone": "America/Asuncion",
        "kwargs": {},
        "description": "Delete expired sessions and simplejwt token rows.",
    },
]
