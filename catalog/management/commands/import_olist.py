"""Import a folder of Olist-format CSVs (see docs/importer.md)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalog.importers.errors import ImportFailed
from catalog.importers.olist import (
    DEFAULT_BATCH_SIZE,
    ImportResult,
    olist_import,
    olist_source_is_loaded,
)

COLUMNS = ("read", "created", "updated", "unchanged", "rejected")


class Command(BaseCommand):
    help = (
        "Import the eight Olist CSVs (plain or .csv.gz) from DIR, by default "
        "settings.DROPI_OLIST_DIR. Nothing is written if any record is bad, "
        "unless --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", help="folder with the CSVs")
        parser.add_argument(
            "--source",
            default="olist",
            help="tag of the imported rows; 'demo' implies PYG and Asuncion time",
        )
        parser.add_argument(
            "--currency", help="currency code of the amounts (default per source)"
        )
        parser.add_argument(
            "--source-tz",
            help="zone of the naive timestamps (olist: America/Sao_Paulo)",
        )
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="list bad records and import the rest",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when orders of this source were imported before "
            "(so a restart keeps changes made on the platform since)",
        )

    def handle(self, *args, **options):
        directory = options["directory"] or settings.DROPI_OLIST_DIR
        if options["if_empty"] and olist_source_is_loaded(source=options["source"]):
            self.stdout.write(
                f"Source {options['source']!r} is already loaded; nothing imported "
                "(run without --if-empty to update it from the files)."
            )
            return
        progress = self._progress if self.stdout.isatty() else None
        try:
            result = olist_import(
                directory=directory,
                source=options["source"],
                currency=options["currency"],
                source_tz=options["source_tz"],
                batch_size=options["batch_size"],
                skip_invalid=options["skip_invalid"],
                progress=progress,
            )
        except ImportFailed as exc:
            lines = "\n".join(exc.extra["problems"])
            raise CommandError(f"Import failed, nothing was written:\n{lines}") from exc
        finally:
            if progress is not None:
                self.stdout.write("")
        self._report(result)

    def _progress(self, file: str, records: int) -> None:
        # Padded so a shorter line fully covers the one before it.
        self.stdout.write(f"\r{file}: {records} records".ljust(79), ending="")
        self.stdout.flush()

    def _report(self, result: ImportResult) -> None:
        if result.problems_total:
            self.stdout.write(
                self.style.WARNING(f"{result.problems_total} records rejected:")
            )
            for problem in result.problems:
                self.stdout.write(f"  {problem}")
            hidden = result.problems_total - len(result.problems)
            if hidden:
                self.stdout.write(f"  ... and {hidden} more")
        width = max(len(counts.file) for counts in result.files)
        self.stdout.write("file".ljust(width) + "".join(f"{c:>11}" for c in COLUMNS))
        for counts in result.files:
            self.stdout.write(
                counts.file.ljust(width)
                + "".join(f"{getattr(counts, c):>11}" for c in COLUMNS)
            )
        self.stdout.write(
            f"Categories added from products: {result.categories_added}; "
            f"product prices set from order items: {result.prices_changed}."
        )
        self.stdout.write(
            self.style.SUCCESS(f"Import of source {result.source!r} done.")
        )
