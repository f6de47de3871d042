"""Print the current TOTP code of an account (local run only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.selectors import totp_code_current, totp_device_for_user


class Command(BaseCommand):
    help = (
        "Print the 6-digit code EMAIL's authenticator shows now. Only when "
        "settings.DEBUG is true (the local run); refused otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "totp_code works only with DEBUG=True (local run); use the "
                "authenticator app."
            )
        email = options["email"].strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with email {email}.")
        device = totp_device_for_user(user=user)
        if device is None:
            raise CommandError(
                f"{email} has no TOTP device; run `manage.py totp_enroll {email}`."
            )
        if not device.is_readable:
            raise CommandError(
                f"The TOTP secret of {email} cannot be decrypted with the "
                "configured key; run `manage.py totp_enroll --reset "
                f"{email}`."
            )
        self.stdout.write(totp_code_current(device=device))
