"""Create the local admin account if missing and print how to sign in."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create an admin user for the local run (or report the existing one)."

    def add_arguments(self, parser):
        parser.add_argument("--email", default="admin@dropi.local")

    def handle(self, *args, **options):
        email = options["email"].lower()
        user_model = get_user_model()
        if user_model.objects.filter(email__iexact=email).exists():
            self.stdout.write(
                f"Admin {email} already exists; sign in at "
                "http://127.0.0.1:8000/admin/ with the password printed when "
                "it was created (or run `manage.py changepassword "
                f"{email}`)."
            )
            return
        password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(email=email, password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin created: {email} / {password}  "
                "(sign in at http://127.0.0.1:8000/admin/)"
            )
        )
