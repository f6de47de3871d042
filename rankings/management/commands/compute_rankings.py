"""Compute and publish rankings, e.g. ``compute_rankings --as-of latest``."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from catalog.models import Vertical
from rankings.management.options import parse_date, parse_window_days
from rankings.models import RankingKind
from rankings.report import run_heading
from rankings.selectors import order_latest_purchase_date
from rankings.services import ranking_run_create

KIND_ALL = "all"


class Command(BaseCommand):
    help = (
        "Compute rankings over the window_days days before --as-of and "
        "publish them (replacing a published run with the same key)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            default=KIND_ALL,
            help="sellers, products or all (default all).",
        )
        parser.add_argument(
            "--as-of",
            default=None,
            help=(
                "YYYY-MM-DD (the window ends when that day starts), or "
                "'latest': the day after the most recent order, so that "
                "order is inside the window. Default: today."
            ),
        )
        parser.add_argument("--window-days", type=int, default=90)
        parser.add_argument(
            "--vertical", default=None, help="Slug of a vertical (default: all)."
        )

    def handle(self, *args, **options):
        kinds = self._kinds(options["kind"])
        window_days = parse_window_days(options["window_days"])
        as_of = self._as_of(options["as_of"])
        vertical = self._vertical(options["vertical"])

        for kind in kinds:
            try:
                run = ranking_run_create(
                    kind=kind, as_of=as_of, window_days=window_days, vertical=vertical
                )
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            except Exception as exc:
                raise CommandError(
                    f"The {kind} ranking failed and was not published "
                    f"({type(exc).__name__}: {exc}); the previous ranking "
                    "stays in place."
                ) from exc
            self.stdout.write(self.style.SUCCESS(f"Published {run_heading(run)}"))

    def _kinds(self, value: str) -> list[str]:
        if value == KIND_ALL:
            return list(RankingKind.values)
        if value not in RankingKind.values:
            choices = ", ".join([*RankingKind.values, KIND_ALL])
            raise CommandError(f"--kind {value!r} is not one of: {choices}.")
        return [value]

    def _as_of(self, value: str | None) -> date:
        if value is None:
            return timezone.localdate()
        if value == "latest":
            latest = order_latest_purchase_date()
            if latest is None:
                raise CommandError(
                    "--as-of latest needs at least one order in the database; "
                    "import data first."
                )
            return latest + timedelta(days=1)
        return parse_date(value)

    def _vertical(self, slug: str | None) -> Vertical | None:
        if slug is None:
            return None
        try:
            return Vertical.objects.get(slug=slug)
        except Vertical.DoesNotExist as exc:
            raise CommandError(f"--vertical {slug!r}: no such vertical.") from exc
