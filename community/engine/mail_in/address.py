"""The reply address of one member in one thread: ``reply+<token>@<MAIL_IN_DOMAIN>``.

The token is ``<member>-<thread>.<signature>``: both ids in base 36 and a signature made by
``django.core.signing`` (:class:`ReplySigner`, salted with :data:`SALT`, keyed by
``SECRET_KEY`` and its fallbacks) written in lower-case base 32, because mail servers may
change the case of an address's local part. No expiry: the address in a notice stays good
for as long as the member and the thread exist. Changing one character of it, or making
one up, is refused (:class:`Forged`).
"""
from __future__ import annotations

import base64
import re

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

SALT = "community.mail_in.reply"
PREFIX = "reply+"
SIGNATURE_BYTES = 15  # 120 bits: 24 characters of base 32
_TOKEN = re.compile(r"^([0-9a-z]{1,13})-([0-9a-z]{1,13})\.([a-z2-7]{24})$")


class Forged(Exception):
    """The address is not one this site gave out."""


class ReplySigner(signing.Signer):
    """Django's signer with a signature that survives a change of case: base 32, lower."""

    def signature(self, value, key=None):
        digest = salted_hmac(self.salt + "signer", value, key or self.key,
                             algorithm=self.algorithm).digest()[:SIGNATURE_BYTES]
        return base64.b32encode(digest).decode().lower()


def _signer() -> ReplySigner:
    return ReplySigner(salt=SALT, sep=".")


def _b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def reply_token(*, member_id: int, thread_id: int) -> str:
    return _signer().sign(f"{_b36(member_id)}-{_b36(thread_id)}")


def reply_address(*, member_id: int, thread_id: int) -> str | None:
    """The address a notice about ``thread_id`` to ``member_id`` is answered at, or None
    while ``MAIL_IN_DOMAIN`` is unset (replies by email are off)."""
    domain = settings.MAIL_IN_DOMAIN
    if not domain:
        return None
    return f"{PREFIX}{reply_token(member_id=member_id, thread_id=thread_id)}@{domain}"


def is_ours(address: str) -> bool:
    """A reply address at our domain (well formed; not yet checked)."""
    domain = settings.MAIL_IN_DOMAIN
    local, _, at = address.strip().lower().rpartition("@")
    return bool(domain) and at == domain and local.startswith(PREFIX)


def address_read(address: str) -> tuple[int, int]:
    """The (member id, thread id) a reply address names; :class:`Forged` otherwise."""
    if not is_ours(address):
        raise Forged("not a reply address of this site")
    token = address.strip().lower().rpartition("@")[0].removeprefix(PREFIX)
    match = _TOKEN.match(token)
    if match is None:
        raise Forged("malformed reply address")
    try:
        _signer().unsign(token)
    except signing.BadSignature:
        raise Forged("bad signature") from None
    return int(match[1], 36), int(match[2], 36)
