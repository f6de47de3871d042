import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from dropi.checks import check_asuncion_time_zone_data

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "dropi.settings.production",
    "SECRET_KEY": "x" * 30 + "-production-like-secret-key-for-the-check",
    "DATABASE_URL": "sqlite://:memory:",
}


def _python(args, env, timeout=120):
    """Run this project's Python in a fresh process (settings load anew)."""
    return subprocess.run(  # noqa: S603 (arguments are literals of the tests)
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_time_zone_is_asuncion_and_times_are_aware():
    assert settings.TIME_ZONE == "America/Asuncion"
    assert settings.USE_TZ is True
    assert timezone.now().utcoffset().total_seconds() == 0


def test_tz_data_knows_paraguay_keeps_utc_minus_three():
    from datetime import datetime

    july = datetime(2026, 7, 1, 12, tzinfo=ZoneInfo("America/Asuncion"))

    assert july.utcoffset().total_seconds() == -3 * 3600
    assert check_asuncion_time_zone_data() == []


def test_production_settings_pass_check_deploy():
    env = {**os.environ, **PRODUCTION_ENV, "ALLOWED_HOSTS": "api.example.com"}

    result = _python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_secret_key():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "dropi.settings.production"

    result = _python(["manage.py", "check"], env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_sqlite_local_run_waits_for_the_write_lock_instead_of_failing():
    env = {**os.environ, "DATABASE_URL": "sqlite:////tmp/dropi-settings-check.sqlite3"}
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='dropi.settings.local';"
        "django.setup(); from django.conf import settings;"
        "print(settings.DATABASES['default']['OPTIONS'])"
    )

    result = _python(["-c", code], env)

    assert result.returncode == 0, result.stderr
    assert "'transaction_mode': 'IMMEDIATE'" in result.stdout
    assert "journal_mode=WAL" in result.stdout


def test_production_serves_collected_static_files_for_admin_and_api_docs(tmp_path):
    env = {
        **os.environ,
        **PRODUCTION_ENV,
        "ALLOWED_HOSTS": "testserver",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    collect = _python(
        ["manage.py", "collectstatic", "--noinput", "-v", "0"], env, timeout=300
    )
    assert collect.returncode == 0, collect.stderr
    code = (
        "import django; django.setup();"
        "from django.test import Client; c = Client();"
        "paths = ['/static/admin/css/base.css',"
        " '/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js'];"
        "print([c.get(p, secure=True).status_code for p in paths])"
    )

    served = _python(["-c", code], env)

    assert served.returncode == 0, served.stderr
    assert served.stdout.strip() == "[200, 200]"
