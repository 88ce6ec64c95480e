"""Import the shop's order export: verified owners, and orders waiting for their account."""
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from community.commerce import orders


class Command(BaseCommand):
    help = ("Read a CSV (email, sku, date[, order_ref]) or JSON list of orders: each buyer "
            "with an account (by confirmed email) becomes a verified owner, the others are "
            "kept hashed until they sign up. Safe to run again on the same file.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        shown = not options["no_progress"] and options["verbosity"] > 0
        started = time.perf_counter()
        try:
            with tqdm(desc="Orders", unit=" rows", total=orders.count_rows(path),
                      disable=not shown, mininterval=1, file=self.stderr._out) as bar:
                summary = orders.import_orders(path, progress=bar)
        except orders.FeedError as error:
            raise CommandError(str(error)) from None
        for problem in summary.problems:
            self.stderr.write(problem)
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(
            f"Orders imported in {time.perf_counter() - started:.1f}s."))
