"""Drafts: the composer's text kept on the server as the member types (``models.Draft``).

A *place* is ``<prefix>:<key>``. Each prefix is registered with :func:`register_place`, with
the pattern its key follows and the check that says whether a member may write there:
community's own below (``reply:<thread>``, ``edit:<post>``, ``ask:question``), ``purpose``'s
and ``partners``' from their ``AppConfig.ready()`` (project updates, contributions, partner
content), so community never imports them and the draft endpoint serves every place a
member writes in.

``draft_save`` refuses a place the member may not write in (403, with the check's sentence)
and one that does not exist (404), so a draft endpoint never tells anyone about someone
else's thread or post. The write that sends the text discards its draft inside its own
transaction (``draft_discard``, called by the services, never by a view), so no path that
posts can forget it. Saving records no ``EngagementEvent``: a draft changes no page another
reader sees (the architecture's contract is about facts that change pages), and it is not
taking part.
"""
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from community import permissions
from community.content.limits import BODY_MAX
from community.models import Draft, Post, Thread
from community.models.drafts import DRAFT_DAYS, PLACE_MAX

ID = r"[1-9][0-9]{0,18}"
CANNOT_WRITE = gettext_lazy("You cannot write here.")


@dataclass(frozen=True)
class Place:
    """A kind of place: ``check(member, key)`` raises ``Http404`` when the place is not
    there (or not for ``member`` to see) and returns None when ``member`` may write there,
    else the sentence refusing them."""

    prefix: str
    key: re.Pattern
    check: Callable[..., str | None]


_PLACES: dict[str, Place] = {}


def register_place(prefix: str, check: Callable[..., str | None], *, key: str = ID) -> None:
    """Make ``<prefix>:<key>`` a place drafts are kept for (from the owning app's
    ``ready()``); a prefix another app registered is refused."""
    current = _PLACES.get(prefix)
    if current is not None and current.check is not check:
        raise ValueError(f"The draft place {prefix!r} is already registered")
    _PLACES[prefix] = Place(prefix=prefix, key=re.compile(key), check=check)


def registered_places() -> list[str]:
    return sorted(_PLACES)


def place_check(member, place: str) -> None:
    """Raise 404 for a place that is not one (or not there), 403 for one ``member`` may not
    write in."""
    prefix, colon, key = (place or "").partition(":")
    found = _PLACES.get(prefix)
    if not colon or found is None or len(place) > PLACE_MAX or not found.key.fullmatch(key):
        raise Http404(gettext("No such place to write in."))
    refusal = found.check(member, key)
    if refusal is not None:
        raise PermissionDenied(refusal or CANNOT_WRITE)


def _ask(member, kind: str) -> str | None:
    return None if permissions.can_start_thread(member, kind) else (
        permissions.why_not_start(member, kind))


def _reply(member, key: str) -> str | None:
    thread = Thread.objects.filter(pk=int(key)).first()
    if thread is None or not permissions.can_view_thread(member, thread):
        raise Http404(gettext("No such thread."))
    return None if permissions.can_reply(member, thread) else permissions.why_not(member,
                                                                                   thread)


def _edit(member, key: str) -> str | None:
    post = Post.objects.filter(pk=int(key)).first()
    if post is None or (post.author_id != member.pk
                        and not permissions.can_see_post(member, post)):
        raise Http404(gettext("No such post."))
    return None if permissions.can_edit_post(member, post) else (
        permissions.why_not_edit_post(member, post))


register_place("ask", _ask, key="question|discussion")
register_place("reply", _reply)
register_place("edit", _edit)


def draft_save(*, member, place: str, body: str, title: str = "") -> Draft | None:
    """Keep ``member``'s text for ``place`` (an empty text discards the draft: None)."""
    place_check(member, place)
    body, title = (body or "")[:BODY_MAX], (title or "")[:200]
    if not body.strip() and not title.strip():
        draft_discard(member=member, place=place)
        return None
    with transaction.atomic():
        draft, _ = Draft.objects.update_or_create(member=member, place=place,
                                                  defaults={"body": body, "title": title})
    return draft


def draft_discard(*, member, place: str) -> None:
    """The draft is sent (or thrown away): nothing is kept. Called by the write that sends
    it, inside its transaction: a write refused afterwards keeps the draft."""
    if place and getattr(member, "is_authenticated", False):
        Draft.objects.filter(member=member, place=place).delete()


def draft_for(member, place: str) -> Draft | None:
    """``member``'s draft for ``place``, if any (one query; none for visitors)."""
    if not member.is_authenticated:
        return None
    return Draft.objects.filter(member=member, place=place).first()


def drafts_for(member, places: list[str]) -> dict[str, Draft]:
    """``member``'s drafts with some text among ``places``, by place (one query; none for
    visitors): for a page that points to several places at once."""
    if not getattr(member, "is_authenticated", False) or not places:
        return {}
    return {d.place: d for d in Draft.objects.filter(member=member, place__in=places)
            if d.body.strip() or d.title.strip()}


def drafts_clean(*, now=None) -> int:
    """Delete drafts untouched for ``DRAFT_DAYS`` days; the number deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=DRAFT_DAYS)
    deleted, _ = Draft.objects.filter(updated_at__lt=cutoff).delete()
    return deleted
