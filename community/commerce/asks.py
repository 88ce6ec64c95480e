"""Ask the owners: the signed one-click link in an owner's ask, and what the ask says.

The link names the question and the member it was sent to, signed with
``django.core.signing`` (:data:`SALT`) and good for :data:`MAX_AGE_DAYS`. Opening it leads
into the thread, where the usual sign-in rules apply: the link never signs anyone in.
"""
from __future__ import annotations

from django.core import signing
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext

from community.models import Ownership

SALT = "community.owner_ask"
MAX_AGE_DAYS = 14


class LinkInvalid(Exception):
    """The link was altered (``expired`` False) or is too old (``expired`` True)."""

    def __init__(self, *, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def ask_token(*, thread_id: int, member_id: int) -> str:
    return signing.dumps({"t": thread_id, "m": member_id}, salt=SALT, compress=True)


def ask_url(*, thread_id: int, member_id: int) -> str:
    return reverse("owner_ask", args=[ask_token(thread_id=thread_id, member_id=member_id)])


def ask_read(token: str) -> tuple[int, int]:
    """The (thread id, member id) a valid link names; :class:`LinkInvalid` otherwise."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_DAYS * 86400)
    except signing.SignatureExpired:
        raise LinkInvalid(expired=True) from None
    except signing.BadSignature:
        raise LinkInvalid(expired=False) from None
    if not (isinstance(data, dict) and isinstance(data.get("t"), int)
            and isinstance(data.get("m"), int)):
        raise LinkInvalid(expired=False)
    return data["t"], data["m"]


def why_asked(ownership: Ownership) -> str:
    """"You bought <product> on <date>" for a verified owner, "You said you own <product>"
    for one who declared it."""
    name = ownership.product.name
    if ownership.is_verified and ownership.purchased_on:
        return gettext("You bought %(name)s on %(day)s") % {
            "name": name, "day": formats.date_format(ownership.purchased_on)}
    if ownership.is_verified:
        return gettext("You bought %(name)s") % {"name": name}
    return gettext("You said you own %(name)s") % {"name": name}
