"""Drafts: the composer's text kept on the server as the member types (``models.Draft``).

``draft_save`` refuses a place the member may not write in (403) and one that does not
exist (404), so a draft endpoint never tells anyone about someone else's thread or post.
Saving records no ``EngagementEvent``: a draft changes no page another reader sees (the
architecture's contract is about facts that change pages), and it is not taking part.
"""
import re
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from community import permissions
from community.content.limits import BODY_MAX
from community.models import Draft, Post, Thread
from community.models.drafts import DRAFT_DAYS

PLACE = re.compile(r"(reply|edit):([1-9][0-9]{0,18})|ask:(question|discussion)")


def place_check(member, place: str) -> None:
    """Raise 404 for a place that is not one (or not there), 403 for one ``member`` may not
    write in."""
    match = PLACE.fullmatch(place or "")
    if not match:
        raise Http404("No such place to write in.")
    kind, pk, ask = match.groups()
    if ask:
        allowed = permissions.can_start_thread(member, ask)
    elif kind == "reply":
        thread = Thread.objects.filter(pk=int(pk)).first()
        if thread is None or not permissions.can_view_thread(member, thread):
            raise Http404("No such thread.")
        allowed = permissions.can_reply(member, thread)
    else:
        post = Post.objects.filter(pk=int(pk)).first()
        if post is None or (post.author_id != member.pk
                            and not permissions.can_see_post(member, post)):
            raise Http404("No such post.")
        allowed = permissions.can_edit_post(member, post)
    if not allowed:
        raise PermissionDenied(permissions.why_not(member))


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
    """The draft is sent (or thrown away): nothing is kept."""
    if member.is_authenticated:
        Draft.objects.filter(member=member, place=place).delete()


def draft_for(member, place: str) -> Draft | None:
    """``member``'s draft for ``place``, if any (one query; none for visitors)."""
    if not member.is_authenticated:
        return None
    return Draft.objects.filter(member=member, place=place).first()


def drafts_clean(*, now=None) -> int:
    """Delete drafts untouched for ``DRAFT_DAYS`` days; the number deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=DRAFT_DAYS)
    deleted, _ = Draft.objects.filter(updated_at__lt=cutoff).delete()
    return deleted
