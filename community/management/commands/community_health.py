"""The host dashboard's community-health figures on the command line."""
import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from community.host import dashboard


def _day(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: use YYYY-MM-DD.") from None
    if not dashboard.EARLIEST_DAY <= day <= dashboard.LATEST_DAY:
        raise CommandError(dashboard.PERIOD_RANGE)
    return day


class Command(BaseCommand):
    help = ("Community health (social ratio, peer answers, time to first peer answer...) "
            "over a period, as defined in community/host/dashboard.py.")

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument("--since", type=_day, help="First day included (YYYY-MM-DD).")
        parser.add_argument("--until", type=_day, help="Last day included (YYYY-MM-DD).")

    def handle(self, *args, since=None, until=None, **options):
        if since and until and since > until:
            raise CommandError("--since must not be after --until.")
        figures = dashboard.cli_health(dashboard.Period(since=since, until=until))
        if options["json"]:
            self.stdout.write(json.dumps(figures))
            return
        width = max(map(len, figures))
        for key, value in figures.items():
            shown = "-" if value is None else (f"{value:.3f}" if isinstance(value, float)
                                               else value)
            self.stdout.write(f"{key.ljust(width)}  {shown}")
