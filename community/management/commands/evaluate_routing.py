"""How well routing asks the people who really answer: a time-split replay of a community."""
import json
import time

from django.core.management.base import BaseCommand, CommandError

from community.engine import routing_eval
from community.models import Space


def _fraction(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a number: use a fraction such as 0.7.") from None
    if not 0 <= number <= 1:
        raise CommandError(f"{value} is not between 0 and 1.")
    return number


def _cap(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a whole number of asks.") from None
    if number < 1:
        raise CommandError("--cap must be at least 1 ask a week.")
    return number


class Command(BaseCommand):
    help = ("Replay the questions after the split with the community as it stood when each "
            "was asked, and report how often routing and the baselines rank a real answerer "
            "first, in the first 3 and the first 5 (docs/routing.md).")

    def add_arguments(self, parser):
        parser.add_argument("--space", help="The space's slug (default: every space).")
        parser.add_argument("--split", type=_fraction, default=0.7,
                            help="Fraction of questions, by date, before the evaluated ones "
                                 "(default 0.7: the last 30%% are evaluated).")
        parser.add_argument("--until", type=_fraction, default=1.0,
                            help="Fraction where the evaluated questions stop (default 1; "
                                 "--split 0.5 --until 0.7 is the validation window).")
        parser.add_argument("--cap", type=_cap, default=None,
                            help="Asks a member may get in 7 days, simulated in replay time "
                                 "(default: the ROUTING_WEEKLY_CAP setting).")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, space=None, split=0.7, until=1.0, cap=None, **options):
        from community.engine.routing import weekly_cap

        if split >= until:
            raise CommandError("--split must be below --until.")
        if space and not Space.objects.filter(slug=space).exists():
            raise CommandError(f"There is no space {space!r}.")
        started = time.monotonic()
        report = routing_eval.evaluate(space=space, split=split, until=until,
                                       cap=cap or weekly_cap())
        report["seconds"] = round(time.monotonic() - started, 1)
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        if not report["window"]:
            self.stdout.write("No questions to evaluate in that window.")
            return
        scored = report["window"] - report["no_real_answerer"]
        self.stdout.write(
            f"Space {report['space']}: {report['questions']} questions; evaluated "
            f"{report['window']} asked {report['from'][:10]} to {report['to'][:10]}, of which "
            f"{scored} had a real answerer ({report['no_real_answerer']} answered only by "
            "the asker or staff, or not at all, are left out).\n"
            "A real answerer wrote an answer to the question and is neither its asker nor "
            "staff: staff are never routed, so they are left out of every ranking and of the "
            "answerers. Imported, unclaimed accounts count as reachable in this replay only.\n"
        )
        self.stdout.write(routing_eval.table(report))
        self.stdout.write(f"\nReplayed in {report['seconds']} s.")
