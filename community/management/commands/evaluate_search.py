"""Known-item evaluation of search (community/content/search_eval.py)."""
import json

from django.core.management.base import BaseCommand, CommandError

from community.content import search_eval
from community.models import Space


class Command(BaseCommand):
    help = ("For N answers drawn with a fixed seed, search three of each answer's rarest "
            "words and report how often its thread comes first (hit@1), in the first five "
            "(hit@5), and the mean reciprocal rank.")

    def add_arguments(self, parser):
        parser.add_argument("--space", default="", help="Slug of the space to evaluate in.")
        parser.add_argument("--n", type=int, default=200, help="Answers to look for.")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the draw.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, space="", n=200, seed=1, **options):
        if n < 1:
            raise CommandError("--n must be at least 1.")
        if space and not Space.objects.filter(slug=space).exists():
            raise CommandError(f"There is no space {space!r}.")
        figures = search_eval.evaluate(space=space, n=n, seed=seed)
        if options["json"]:
            self.stdout.write(json.dumps(figures))
            return
        for key, value in figures.items():
            self.stdout.write(f"{key.ljust(6)}  {value}")
