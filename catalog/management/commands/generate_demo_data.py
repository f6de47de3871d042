"""Write a seeded demo marketplace as Olist-format CSVs."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from catalog.importers.demo_data import demo_data_generate


class Command(BaseCommand):
    help = (
        "Generate a small Paraguayan marketplace as Olist-format CSVs in --out; "
        "load it with `import_olist DIR --source demo`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--out", required=True, help="folder to write")
        parser.add_argument("--sellers", type=int, default=40)
        parser.add_argument("--products", type=int, default=400)
        parser.add_argument("--orders", type=int, default=4000)
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="last day of the data, YYYY-MM-DD (default: today in Asuncion)",
        )

    def handle(self, *args, **options):
        try:
            counts = demo_data_generate(
                directory=options["out"],
                seed=options["seed"],
                today=options["today"] or timezone.localdate(),
                sellers=options["sellers"],
                products=options["products"],
                orders=options["orders"],
            )
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        for basename, records in counts.items():
            self.stdout.write(f"{basename}: {records} records")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data (seed {options['seed']}) in {options['out']}"
            )
        )
