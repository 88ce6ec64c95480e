"""``manage.py mail_in --host 127.0.0.1 --port 2525``: receive replies by email over SMTP.

Point ``MAIL_IN_DOMAIN``'s MX record at the machine (port 25 forwarded to ``--port``, or a
relay in front), or run it behind a mail provider that forwards by SMTP. Stops on Ctrl-C or
SIGTERM.
"""
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from community.engine.mail_in.smtp import controller


class Command(BaseCommand):
    help = "Receive replies to notification emails over SMTP and post them in their threads."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2525)

    def handle(self, *args, host, port, **options):
        if not settings.MAIL_IN_DOMAIN:
            raise CommandError("Set MAIL_IN_DOMAIN: the domain of the reply addresses.")
        receiver = controller(host=host, port=port)
        receiver.start()
        self.stdout.write(f"Receiving replies for @{settings.MAIL_IN_DOMAIN} on "
                          f"{host}:{port}")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            receiver.stop()
