"""Replay the order risk rules on past orders and print what they flag."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.models import Vertical
from fraud.backtest import backtest_run


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from error


class Command(BaseCommand):
    help = "Count, per order risk rule, the past orders it would have flagged."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="first purchase day, YYYY-MM-DD")
        parser.add_argument("--until", help="last purchase day, YYYY-MM-DD")
        parser.add_argument("--vertical", help="vertical slug")
        parser.add_argument("--limit", type=int, help="only the N most recent orders")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options) -> None:
        since = _date(options["since"]) if options["since"] else None
        until = _date(options["until"]) if options["until"] else None
        if since and until and since > until:
            raise CommandError("--since is after --until")
        if options["limit"] is not None and options["limit"] < 1:
            raise CommandError("--limit must be 1 or more")
        vertical = None
        if options["vertical"]:
            vertical = Vertical.objects.filter(slug=options["vertical"]).first()
            if vertical is None:
                raise CommandError(f"Unknown vertical: {options['vertical']!r}")

        result = backtest_run(
            since=since, until=until, vertical=vertical, limit=options["limit"]
        )

        rows = [
            {
                "rule": row.rule.code,
                "vertical": row.rule.vertical.slug
                if row.rule.vertical is not None
                else None,
                "points": row.rule.points,
                "flagged": row.flagged,
            }
            for row in result.by_rule
        ]
        if options["json"]:
            payload = {
                "orders": result.orders,
                "held": result.held,
                "threshold": result.threshold,
                "rules": rows,
            }
            self.stdout.write(json.dumps(payload))
            return
        self.stdout.write(f"orders evaluated: {result.orders}")
        for row in rows:
            scope = row["vertical"] or "all"
            self.stdout.write(
                f"{row['rule']:<32} {scope:<16} {row['points']:>4} pts  {row['flagged']:>7} flagged"
            )
        self.stdout.write(f"held (score >= {result.threshold}): {result.held}")
