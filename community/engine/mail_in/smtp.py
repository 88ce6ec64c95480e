"""The SMTP receiver the project runs (``manage.py mail_in``, ``make mail-in``): aiosmtpd.

It takes mail for reply addresses at ``MAIL_IN_DOMAIN`` only (any other recipient: 550, it
relays nothing) and hands each message to :func:`receive.mail_receive` in a worker thread
(the ORM is synchronous). Answers: 250 once the mail is posted, refused (the member was
told) or ignored; 550 for a reply address this site did not give out or a sender who is
not its member, so the sending server tells its sender; 554 for bytes that are not a
message; 451 (try again later) when something failed on our side, so nothing is lost.
"""
from __future__ import annotations

import asyncio
import logging

from aiosmtpd.controller import Controller
from django.db import close_old_connections, connections

from . import address
from .message import Malformed
from .receive import mail_receive

log = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024  # a reply and a few photos; larger mails are refused (552)


def _receive(raw: bytes, sender: str, recipients: tuple[str, ...]):
    close_old_connections()
    try:
        return mail_receive(raw, via="smtp", envelope_sender=sender,
                            envelope_recipients=recipients)
    finally:
        connections.close_all()  # this worker thread's own connections


class Handler:
    async def handle_RCPT(self, server, session, envelope, rcpt, rcpt_options):
        if not address.is_ours(rcpt):
            return "550 5.1.1 Not a reply address here"
        envelope.rcpt_tos.append(rcpt)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        loop = asyncio.get_running_loop()
        try:
            received = await loop.run_in_executor(
                None, _receive, raw, envelope.mail_from or "", tuple(envelope.rcpt_tos))
        except Malformed as malformed:
            return f"554 5.6.0 {malformed}"
        except Exception:  # logged with its traceback; the sender keeps the mail and retries
            log.exception("reply by email failed")
            return "451 4.3.0 Try again later"
        if received.silent:
            return f"550 5.7.1 {received.reason}"
        return "250 OK"


def controller(*, host: str, port: int) -> Controller:
    """The receiver on ``host:port``, not started (``.start()`` runs it in a thread)."""
    return Controller(Handler(), hostname=host, port=port, data_size_limit=MAX_BYTES,
                      server_hostname="mail-in")
