"""Print a published ranking as a table or as JSON."""

import json

from django.core.management.base import BaseCommand, CommandError

from rankings.management.options import parse_as_of, parse_window_days
from rankings.models import RankingKind
from rankings.report import entries_as_table, entry_as_dict, run_heading
from rankings.selectors import ranking_entry_list, ranking_run_latest_published


class Command(BaseCommand):
    help = "Print the top entries of the latest (or a given) published ranking."

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, help="sellers or products.")
        parser.add_argument("--top", type=int, default=10)
        parser.add_argument("--as-of", default=None, help="YYYY-MM-DD.")
        parser.add_argument("--window-days", type=int, default=None)
        parser.add_argument("--format", default="table", help="table or json.")

    def handle(self, *args, **options):
        kind = options["kind"]
        if kind not in RankingKind.values:
            raise CommandError(
                f"--kind {kind!r} is not one of: {', '.join(RankingKind.values)}."
            )
        if options["format"] not in ("table", "json"):
            raise CommandError(f"--format {options['format']!r} is not table or json.")
        if options["top"] < 1:
            raise CommandError(f"--top must be at least 1, not {options['top']}.")
        as_of = parse_as_of(options["as_of"])
        window_days = options["window_days"]
        if window_days is not None:
            parse_window_days(window_days)

        run = ranking_run_latest_published(
            kind=kind, as_of=as_of, window_days=window_days
        )
        if run is None:
            when = f" as of {as_of}" if as_of else ""
            raise CommandError(
                f"No published {kind} ranking{when}; run "
                f"`manage.py compute_rankings --kind {kind}` first."
            )
        entries = ranking_entry_list(run=run)[: options["top"]]

        if options["format"] == "json":
            self.stdout.write(
                json.dumps([entry_as_dict(entry) for entry in entries], indent=2)
            )
            return
        self.stdout.write(run_heading(run))
        self.stdout.write(entries_as_table(entries))
