"""Import or update the shop's catalogue from a CSV or JSON feed (by SKU, idempotent)."""
import resource
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from community import permissions
from community.commerce.feed import COLUMNS, FeedError, feed_import
from community.models import User


class Command(BaseCommand):
    help = ("Import the shop's products from a CSV or JSON feed (columns: "
            f"{', '.join(COLUMNS)}). Matched by SKU: running it again updates what changed "
            "and reports products created, updated and unchanged; rows that cannot be "
            "imported are listed with their line number and skipped.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=("csv", "json"), default="",
                            help="Default: from the file's extension (.json, .jsonl: JSON).")
        parser.add_argument("--host", default="",
                            help="The host credited with the import and its photos "
                                 "(default: the first host).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def _host(self, handle: str):
        hosts = User.objects.filter(is_active=True, is_unclaimed=False).order_by("pk")
        if handle:
            host = hosts.filter(username__iexact=handle).first()
            if host is None or not permissions.is_staff_host(host):
                raise CommandError(f"{handle} is not a host.")
            return host
        return next((u for u in hosts.filter(is_host=True)[:20]
                     if permissions.is_staff_host(u)), None) or hosts.filter(
            is_superuser=True).first()

    def handle(self, *args, **options):
        host = self._host(options["host"])
        shown = (not options["no_progress"] and options["verbosity"] > 0
                 and sys.stderr.isatty())
        bars = []  # made once the feed's rows are counted (its first reading)

        def counted(total):
            bars.append(tqdm(total=total, desc="Importing products", unit="row",
                             disable=not shown, file=sys.stderr))

        started = time.perf_counter()
        try:
            summary = feed_import(options["file"], fmt=options["format"], host=host,
                                  counted=counted, progress=lambda n: bars[0].update(n))
        except FeedError as error:
            raise CommandError(str(error)) from None
        finally:
            for bar in bars:
                bar.close()
        elapsed = time.perf_counter() - started
        for line in summary.lines():
            self.stdout.write(line)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(self.style.SUCCESS(
            f"Imported {options['file'].name} in {elapsed:.1f}s (peak memory {peak:.0f} MiB)."))
