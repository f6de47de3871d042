"""Create the beat jobs listed in settings.DROPI_PERIODIC_TASKS."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from rankings.schedule import periodic_task_create_missing


class Command(BaseCommand):
    help = (
        "Create every periodic task of settings.DROPI_PERIODIC_TASKS that does "
        "not exist yet. Existing ones (possibly edited in the admin) are kept "
        "unchanged; delete one in the admin to have it recreated."
    )

    def handle(self, *args, **options):
        for entry in settings.DROPI_PERIODIC_TASKS:
            try:
                created = periodic_task_create_missing(entry=entry)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            if created:
                self.stdout.write(
                    self.style.SUCCESS(f"Created periodic task {entry['name']}.")
                )
            else:
                self.stdout.write(
                    f"Kept periodic task {entry['name']}: it exists already "
                    "(not overwritten; edit it in the admin)."
                )
