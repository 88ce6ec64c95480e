"""Limits on what else members write: invitations, collections and moments."""
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from community import permissions
from community.models import CommunitySettings, User

from .members import with_note

# Invitations: every address is a mail we send in the member's name, with their note.

TEXT_LINK_RE = re.compile(
    r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:[/:?#]|\b))",
    re.I)


def invitations_left(inviter: User, now=None) -> int:
    """How many more invitations ``inviter`` may send today (in the last 24 hours)."""
    from community.models import Invitation

    s = CommunitySettings.get()
    most = (s.new_member_invitations_per_day if permissions.is_new_member(inviter)
            else s.invitations_per_day)
    since = (now or timezone.now()) - timedelta(days=1)
    sent = Invitation.objects.filter(inviter=inviter, kind=Invitation.Kind.EMAIL,
                                     created_at__gte=since).count()
    return max(most - sent, 0)


def check_invitations(inviter: User, *, count: int, message: str, now=None) -> None:
    """Raise ``ValidationError`` with a clear sentence when ``count`` invitations with
    ``message`` may not be sent: a blocked word in the note, a link in a new member's note,
    more invitations than are left today. Hosts have no limits."""
    if permissions.is_staff_host(inviter):
        return
    s = CommunitySettings.get()
    lowered = message.lower()
    if any(word in lowered for word in s.blocked()):
        raise ValidationError(
            gettext("Your note contains a word this community does not allow. Change the note, or "
                    "send the invitations without one."), code="blocked_word")
    if permissions.is_new_member(inviter) and TEXT_LINK_RE.search(message):
        raise ValidationError(
            gettext("New members cannot put links or web addresses in an invitation note. Your "
                    "friends get a link to join with the invitation."), code="new_member_limit")
    left = invitations_left(inviter, now)
    if count > left:
        sentence = ngettext(
            "You can send %(left)d more invitation today and these are %(count)d.",
            "You can send %(left)d more invitations today and these are %(count)d.", left,
        ) % {"left": left, "count": count}
        advice = (gettext("New members can send a few a day until they have taken part for a "
                          "little while.") if permissions.is_new_member(inviter)
                  else gettext("Try again tomorrow."))
        raise ValidationError(f"{sentence} {advice}", code="invitations_per_day")


# Collections: a title and a short plain-text description, a few per member, a bounded
# number of threads and posts in each. Blocked words refuse (a collection is not held for
# review: it shows only what is already published); a new member's description has no links.


def collection_check(owner: User, *, title: str, description: str, creating: bool) -> None:
    """Raise ``ValidationError`` with the sentence to show when ``owner`` may not save a
    collection with this title and description (``creating``: a new one, counted against
    the member's limit)."""
    from community.models.collections import DESCRIPTION_MAX, TITLE_MAX, Collection

    title = title.strip()
    if not title:
        raise ValidationError(gettext("Give the collection a title."), code="required")
    if len(title) > TITLE_MAX:
        raise ValidationError(
            gettext("The title has %(count)d characters; the most is %(most)d.")
            % {"count": len(title), "most": TITLE_MAX}, code="too_long")
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError(
            gettext("The description has %(count)s characters; the most is %(most)d.")
            % {"count": f"{len(description):,}", "most": DESCRIPTION_MAX}, code="too_long")
    if not permissions.is_staff_host(owner):
        lowered = f"{title}\n{description}".lower()
        if any(word in lowered for word in CommunitySettings.get().blocked()):
            raise ValidationError(gettext("The title or description contains a word this community "
                                          "does not allow."), code="blocked_word")
        if permissions.is_new_member(owner) and TEXT_LINK_RE.search(description):
            raise ValidationError(with_note(gettext(
                "New members cannot put links or web addresses in a collection's description.")),
                code="new_member_limit")
    if creating:
        new = permissions.is_new_member(owner)
        most = settings.COLLECTIONS_PER_NEW_MEMBER if new else settings.COLLECTIONS_PER_MEMBER
        if Collection.objects.live().filter(owner=owner).count() >= most:
            sentence = ngettext("You have %(count)d collection, the most you can keep.",
                                "You have %(count)d collections, the most you can keep.",
                                most) % {"count": most}
            raise ValidationError(
                with_note(sentence) if new
                else f"{sentence} {gettext('Delete one to start another.')}",
                code="new_member_limit" if new else "too_many")


def collection_item_check(collection) -> None:
    """Refuse one more item in a full collection."""
    most = settings.COLLECTION_ITEMS_MAX
    if collection.items.count() >= most:
        raise ValidationError(ngettext(
            "“%(title)s” holds %(count)d item, the most a collection can hold. Remove one, or "
            "start another collection.",
            "“%(title)s” holds %(count)d items, the most a collection can hold. Remove one, or "
            "start another collection.", most) % {"title": collection.title, "count": most},
            code="too_many")


def moment_check(*, title: str, brief: str, opens_at, closes_at) -> None:
    """A moment's text and times: a title, a brief, and a close after the opening."""
    from community.models.moments import BRIEF_MAX, TITLE_MAX

    if not title:
        raise ValidationError(gettext("Give the moment a title."), code="title")
    if len(title) > TITLE_MAX:
        raise ValidationError(gettext("Keep the title under %(most)d characters.")
                              % {"most": TITLE_MAX}, code="title")
    if not brief:
        raise ValidationError(gettext("Say in a line or two what you are asking members for."),
                              code="brief")
    if len(brief) > BRIEF_MAX:
        raise ValidationError(gettext("Keep the brief under %(most)d characters.")
                              % {"most": BRIEF_MAX}, code="brief")
    if closes_at <= opens_at:
        raise ValidationError(gettext("The moment must close after it opens."), code="times")


def moment_entry_check(moment, *, photo: bool, text: str) -> None:
    """What an entry must hold for its moment's kind of answer (the body itself then goes
    through :func:`content_check` with every post)."""
    from community.models.moments import CAPTION_MAX, STORY_MAX

    if moment.answer == "photo" and not photo:
        raise ValidationError(gettext("This moment asks for a photo: choose one to send."),
                              code="photo_required")
    if moment.answer == "story" and photo:
        raise ValidationError(gettext("This moment asks for a story, not a photo."),
                              code="no_photo")
    if not photo and not text:
        raise ValidationError(gettext("Write your story before sending it."), code="story_required")
    limit = CAPTION_MAX if photo else STORY_MAX
    if len(text) > limit:
        sentence = (gettext("Keep the caption under %(most)d characters (it has %(count)d).")
                    if photo else
                    gettext("Keep the story under %(most)d characters (it has %(count)d)."))
        raise ValidationError(sentence % {"most": limit, "count": len(text)}, code="too_long")
