"""Signatures per the Standard Webhooks specification (https://www.standardwebhooks.com/).

Each request carries ``webhook-id`` (the message id, the same on every retry and on "send
again"), ``webhook-timestamp`` (integer seconds since the epoch) and ``webhook-signature``:
``v1,`` then the base64 HMAC-SHA256, keyed with the secret's bytes, of
``{id}.{timestamp}.{body}``. A secret is ``whsec_`` and the base64 of 24 random bytes.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"
SECRET_BYTES = 24
TOLERANCE_SECONDS = 5 * 60  # a receiver refuses a timestamp further than this from its clock


class InvalidSignature(Exception):
    """The request was not signed with the secret, or is too old or too new (a replay)."""


def secret_new() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def signature(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret=secret, msg_id=msg_id, timestamp=timestamp,
                                       body=body),
    }


def verify(*, secret: str, headers: dict[str, str], body: bytes, now: float,
           tolerance: int = TOLERANCE_SECONDS) -> None:
    """What a receiver does (the docs show the same code): raise :class:`InvalidSignature`
    unless one of the signatures matches and the timestamp is within ``tolerance``."""
    lower = {k.lower(): v for k, v in headers.items()}
    try:
        msg_id, timestamp = lower["webhook-id"], int(lower["webhook-timestamp"])
        given = lower["webhook-signature"].split()
    except (KeyError, ValueError) as error:
        raise InvalidSignature("missing or malformed webhook headers") from error
    if abs(now - timestamp) > tolerance:
        raise InvalidSignature("timestamp outside the replay window")
    expected = signature(secret=secret, msg_id=msg_id, timestamp=timestamp, body=body)
    if not any(hmac.compare_digest(expected, sig) for sig in given):
        raise InvalidSignature("no signature matches")
