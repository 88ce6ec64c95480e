"""``manage.py vapid_keys``: a new VAPID key pair for web push, as environment lines.

Generated here, with ``cryptography`` (never fetched from anywhere); put the two lines in
the environment of every web process and worker, with ``VAPID_SUBJECT`` (a ``mailto:`` or
``https:`` address push services may write to). A new pair ends every existing
subscription: browsers subscribed with the old public key must subscribe again.
"""
from django.core.management.base import BaseCommand

from community.engine.push.keys import generate


class Command(BaseCommand):
    help = "Print a new VAPID key pair for web push (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY)."

    def handle(self, *args, **options):
        public, private = generate()
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}\nVAPID_PRIVATE_KEY={private}\n")
