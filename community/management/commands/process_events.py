"""Apply every pending engagement event now (what the periodic sweep does)."""
from django.core.management.base import BaseCommand

from community.engine import engagement


class Command(BaseCommand):
    help = "Apply pending engagement events (scores, routing) until none are left."

    def handle(self, *args, **options):
        done = engagement.process_pending(max_batches=10_000)
        self.stdout.write(self.style.SUCCESS(f"Applied {done} events."))
