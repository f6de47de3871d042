"""Start Django for a bench script run from the repository root."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup(*, require_postgres: bool = True) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dropi.settings.local")
    import django
    from django.db import connection

    django.setup()
    if require_postgres and connection.vendor != "postgresql":
        raise SystemExit(
            "This bench needs PostgreSQL: export "
            "DATABASE_URL=postgres://USER@127.0.0.1:5432/DB first."
        )


def olist_loaded(data_dir: str) -> int:
    """Import the Olist folder unless it is loaded; return its order count."""
    from io import StringIO

    from django.core.management import call_command

    from catalog.models import Order

    call_command("migrate", verbosity=0)
    if not Order.objects.filter(source="olist").exists():
        # Its table goes to a buffer: the bench prints JSON lines only.
        call_command("import_olist", data_dir, stdout=StringIO())
    return Order.objects.filter(source="olist").count()
