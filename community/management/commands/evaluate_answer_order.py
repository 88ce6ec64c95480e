"""How often each answer order puts the answer that was later accepted first, with the pin
taken away (community/engine/answer_order_eval.py, docs/answer-order.md)."""
import json

from django.core.management.base import BaseCommand, CommandError

from community.engine import answer_order_eval
from community.models import Space


class Command(BaseCommand):
    help = ("Share of questions (2+ answers, an accepted answer with its time) whose later "
            "accepted answer each order puts first, using only votes cast before the "
            "acceptance.")

    def add_arguments(self, parser):
        parser.add_argument("--space", help="The space's slug (default: every space).")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, space=None, **options):
        chosen = None
        if space is not None:
            chosen = Space.objects.filter(slug=space).first()
            if chosen is None:
                raise CommandError(f"No space {space!r}: give the slug of an imported space.")
        result = answer_order_eval.evaluate(chosen)
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        if not result["questions"]:
            raise CommandError("No question there has two or more answers and an accepted "
                               "answer with its time: import a community with its votes.")
        self.stdout.write(answer_order_eval.table(result))
        self.stdout.write(
            f"\nz shipped {result['z_shipped']}, chosen on the first 70% (strict): "
            f"{result['z_chosen_on_first_70pct']}; last 30% from "
            f"{result['first_question_of_last_30pct']}; {result['seconds']} s")
