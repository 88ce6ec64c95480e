"""What listening writes: a host's decision on a human-touch post, and searches that found
nothing (counted by their words and week, with nobody's identity)."""
import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from community import permissions
from community.engine import events
from community.models import PostSignal, SearchMiss

Touch = PostSignal.Touch
DECISIONS = {"answered": Touch.ANSWERED, "dismissed": Touch.DISMISSED, "reopen": Touch.OPEN}
TERM_MAX = 200


def touch_decide(*, actor, post_id: int, decision: str) -> PostSignal:
    """A host answered the post in person (``answered``), set it aside (``dismissed``), or
    put it back in the queue (``reopen``: the undo). ``PermissionDenied`` for anyone but a
    host; ``PostSignal.DoesNotExist`` for a post that never needed a touch; ``ValueError``
    for another decision."""
    permissions.require(permissions.can_listen(actor),
                        gettext("The human-touch queue is for the host team."))
    if decision not in DECISIONS:
        raise ValueError(f"No such decision: {decision}")
    touch = DECISIONS[decision]
    with transaction.atomic():
        signal = PostSignal.objects.select_for_update().get(post_id=post_id, needs_touch=True)
        if signal.touch == touch:
            return signal
        signal.touch = touch
        signal.touch_by = None if touch == Touch.OPEN else actor
        signal.touch_at = None if touch == Touch.OPEN else timezone.now()
        signal.save(update_fields=["touch", "touch_by", "touch_at"])
        events.TouchDecided.record(actor=actor, subject_user=signal.author_id, post=post_id,
                                   touch=str(touch))
    return signal


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of ``day``'s week."""
    return day - datetime.timedelta(days=day.weekday())


def term_of(words: list[str]) -> str:
    return " ".join(words)[:TERM_MAX]


def search_miss_record(*, words: list[str], now=None) -> None:
    """Count one search that found nothing: its normalised words and this week, nothing
    else (no member, no session, no address). One UPDATE, and an INSERT the first time in
    a week. A count, not a fact anyone reads back as theirs: no event."""
    term = term_of(words)
    if not term:
        return
    week = week_of(timezone.localdate(now or timezone.now()))
    if SearchMiss.objects.filter(week=week, term=term).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            SearchMiss.objects.create(week=week, term=term, count=1)
    except IntegrityError:  # another search made the row meanwhile
        SearchMiss.objects.filter(week=week, term=term).update(count=F("count") + 1)
