"""Calls from outside signed the shop's way: HMAC-SHA256 over ``"<timestamp>.<body>"``.

The shop's purchase webhook (``community.commerce.webhook``) and a mail provider's inbound
hook (``community.engine.mail_in``) are checked by the same :func:`check_signed`: a missing
or wrong signature, or a timestamp more than :data:`TOLERANCE` away from now, is refused
(403), as is every call while no secret is set.
"""
from __future__ import annotations

import hashlib
import hmac
import time

TOLERANCE = 300  # seconds either side of now


class Refused(Exception):
    """The call is refused with ``status`` and ``reason``."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """What the caller signs: the hex HMAC-SHA256 of ``"<timestamp>.<body>"``."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body,
                    hashlib.sha256).hexdigest()


def check_signed(*, secret: str, timestamp: str | None, given: str | None, body: bytes,
                 now: float | None = None, what: str = "webhook") -> None:
    """Refuse (403) a call that is not signed with ``secret``, or not fresh. ``what`` names
    the hook in the refusal when it has no secret."""
    if not secret:
        raise Refused(403, f"The {what} has no secret set.")
    if not timestamp or not given:
        raise Refused(403, "Missing signature.")
    given = given.strip().removeprefix("sha256=")
    if not hmac.compare_digest(given.encode(), signature(secret, timestamp, body).encode()):
        raise Refused(403, "Bad signature.")
    try:
        sent = int(timestamp)
    except ValueError:
        raise Refused(403, "Bad timestamp.") from None
    if abs((now if now is not None else time.time()) - sent) > TOLERANCE:
        raise Refused(403, "Stale timestamp: more than 5 minutes from now.")
