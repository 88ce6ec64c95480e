"""Recompute every thread and member score from the facts (repair, and for the bench)."""
import time

from django.core.management.base import BaseCommand

from community.engine import engagement


class Command(BaseCommand):
    help = ("Recompute all social scores, member help scores and answers' helpful scores, "
            "set-based, in batches.")

    def handle(self, *args, **options):
        started = time.perf_counter()
        result = engagement.rescore_all()
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(
            f"Rescored {result['threads']} threads, {result['members']} members and "
            f"{result['answers']} answers "
            f"in {elapsed:.1f}s."
        ))
