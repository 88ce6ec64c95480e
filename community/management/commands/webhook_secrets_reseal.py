"""``manage.py webhook_secrets_reseal``: seal every webhook signing secret again under the
first key of ``WEBHOOK_SECRET_KEYS`` (after putting a new key first); ``--new-key`` prints
a fresh key to put there."""
from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from community.api.webhooks import sealing
from community.models import WebhookEndpoint


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--new-key", action="store_true",
                            help="Print a new key for WEBHOOK_SECRET_KEYS and change nothing.")

    def handle(self, *args, new_key=False, **options):
        if new_key:
            self.stdout.write(Fernet.generate_key().decode())
            return
        done = 0
        with transaction.atomic():
            for endpoint in WebhookEndpoint.objects.select_for_update().order_by("pk"):
                try:
                    endpoint.secret_sealed = sealing.reseal(endpoint.secret_sealed)
                except Exception as error:  # InvalidToken from cryptography
                    raise CommandError(
                        f"Endpoint {endpoint.pk} ({endpoint.url}): no key in "
                        "WEBHOOK_SECRET_KEYS opens its secret; nothing was changed.") from error
                endpoint.save(update_fields=["secret_sealed"])
                done += 1
        self.stdout.write(f"Sealed {done} webhook secret{'s' if done != 1 else ''} again "
                          "under the first key.")
