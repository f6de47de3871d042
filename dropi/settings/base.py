"""Settings shared by every environment; topic modules are imported last."""

from dropi.settings.env import BASE_DIR, env

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    "dropi.apps.DropiConfig",
    "accounts",
    "catalog",
    "crm",
    "rankings",
    "fraud",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication: records admin changes and API writes.
    "audit.middleware.AuditMiddleware",
    # Must stay last: it turns axes lockouts into responses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dropi.urls"
WSGI_APPLICATION = "dropi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dropi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The one-command local run: write-ahead log so readers never wait,
    # transactions that take the write lock up front, and a wait instead
    # of "database is locked" when two requests write at once.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # axes first: it must see every authenticate() call (FIELD-NOTES).
    "axes.backends.AxesStandaloneBackend",
    # Login risk scoring and blocklists for paths that do not score the
    # attempt themselves (the admin login); see fraud/backends.py.
    "fraud.backends.LoginRiskBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "es"
LANGUAGES = [("es", "Español"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Asuncion"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))

# Money: every amount is a Decimal with this many places, plus a currency
# code. The guaraní has no minor unit; two places fit every currency here.
MONEY_MAX_DIGITS = 14
MONEY_DECIMAL_PLACES = 2
DEFAULT_CURRENCY = env("DEFAULT_CURRENCY", default="PYG")
# An order placed and not paid within this many hours is cancelled and its
# stock reservation released (catalog.tasks.orders_unpaid_expire_task).
ORDER_UNPAID_EXPIRY_HOURS = env.int("ORDER_UNPAID_EXPIRY_HOURS", default=48)

# Olist data folder used by the importer and the tests that need real data.
DROPI_OLIST_DIR = env(
    "DROPI_OLIST_DIR", default=str(BASE_DIR.parent / "shared" / "data" / "olist")
)

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="DROPi <no-reply@localhost>")
RANKINGS_REPORT_RECIPIENTS = env.list("RANKINGS_REPORT_RECIPIENTS", default=[])

from dropi.settings.auth import *  # noqa: E402
from dropi.settings.celery import *  # noqa: E402
from dropi.settings.drf import *  # noqa: E402
from dropi.settings.fraud import *  # type: ignore[assignment]  # noqa: E402
from dropi.settings.logging import *  # noqa: E402
