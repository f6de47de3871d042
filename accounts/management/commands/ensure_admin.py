"""Create the local admin account if missing and print how to sign in."""

import secrets

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from accounts.models import User
from accounts.selectors import totp_device_for_user
from accounts.services import totp_device_enrol_confirmed, totp_provisioning_uri

DEFAULT_URL = "http://127.0.0.1:8000/admin/"


class Command(BaseCommand):
    help = (
        "Create an admin user for the local run (or report the existing one) "
        "with a confirmed TOTP device, and print the password, the otpauth:// "
        "URI and the secret."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", default="admin@dropi.local")
        parser.add_argument(
            "--url",
            default=DEFAULT_URL,
            help=f"Admin address shown in the output (default {DEFAULT_URL}).",
        )

    def handle(self, *args, **options):
        email = options["email"].strip().lower()
        url = options["url"].strip()
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as exc:
            raise CommandError(f"--url {url!r} is not an http(s) URL.") from exc
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            user = User.objects.create_superuser(email=email, password=password)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Admin created: {email} / {password}  (sign in at {url})"
                )
            )
        elif not user.is_staff:
            raise CommandError(
                f"{email} exists but is not staff; pick another --email "
                "(no TOTP device was enrolled)."
            )
        else:
            self.stdout.write(
                f"Admin {email} already exists; sign in at {url} with the "
                "password printed when it was created (or run `manage.py "
                f"changepassword {email}`)."
            )
        device = totp_device_for_user(user=user)
        if device is None or not device.is_confirmed or not device.is_readable:
            device = totp_device_enrol_confirmed(user=user)
            self.stdout.write(
                "TOTP device enrolled; load it in an authenticator app:\n"
                f"  otpauth URI: {totp_provisioning_uri(device=device)}\n"
                f"  secret:      {device.secret}"
            )
        else:
            self.stdout.write(
                "TOTP device already confirmed (its URI was printed when it "
                f"was enrolled; `manage.py totp_enroll --reset {email}` "
                "replaces it)."
            )
        self.stdout.write(
            f"Current code (DEBUG only): python manage.py totp_code {email}"
        )
