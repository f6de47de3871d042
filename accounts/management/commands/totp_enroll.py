"""Start TOTP enrolment for an account and print the otpauth:// URI."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import totp_device_reset, totp_device_start
from dropi.exceptions import ApplicationError


class Command(BaseCommand):
    help = (
        "Create a TOTP secret for EMAIL and print its otpauth:// URI (load it "
        "in an authenticator app, then the first login with a code confirms it). --reset replaces a confirmed device."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete an existing (confirmed) device first.",
        )

    def handle(self, *args, **options):
        email = options["email"].strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with email {email}.")
        if options["reset"]:
            totp_device_reset(user=user, actor=user)
        try:
            uri = totp_device_start(user=user)
        except ApplicationError as exc:
            raise CommandError(f"{exc.message} (use --reset)") from exc
        self.stdout.write(uri)
