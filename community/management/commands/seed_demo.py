"""Load the demo community (idempotent: running it again adds nothing twice)."""
from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from tqdm import tqdm

from community.demo import seeding


class Command(BaseCommand):
    help = "Create a believable demo community: brand hosts, members, a partner, spaces, threads."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-progress", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DEBUG off (the demo accounts share a published password).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "DEBUG is off: demo accounts have a published password. "
                "Pass --allow-production to seed anyway."
            )
        steps = seeding.steps()
        bar = tqdm(steps, desc="Seeding demo community", unit="step",
                   disable=options["quiet_progress"] or options["verbosity"] == 0)
        created = {}
        # The demo's people notify each other as they go: that mail is kept here, not sent
        # (printed, under make run, it buried the line that says the site is ready).
        kept = getattr(mail, "outbox", None)  # a test's outbox, left as it was
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            mail.outbox = []
            for step in bar:
                bar.set_postfix_str(step.name)
                with transaction.atomic():
                    created[step.name] = step.run()
            held = len(mail.outbox)
        if kept is None:
            del mail.outbox
        else:
            mail.outbox = kept
        total = sum(created.values())
        summary = ", ".join(f"{name}: {n}" for name, n in created.items())
        if total:
            self.stdout.write(self.style.SUCCESS(f"Demo community ready ({summary})."))
            if held:
                self.stdout.write(f"{held} notification emails between demo members were "
                                  "not sent.")
        else:
            self.stdout.write("Demo community already loaded; nothing to add.")
        if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
            self.stdout.write("Mail the site sends from now on (sign-up confirmations, "
                              "notifications) is printed in this terminal.")
