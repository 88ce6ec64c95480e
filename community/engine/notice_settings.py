"""Which notices a member gets, on the site, by email and by push: one row per kind of
notice a member can receive, each with a default; the member's choices are
``User.notice_settings``.

Fan-out (``notifications.notices_for_events``) creates no notice of a kind that is off on
both; a kind that is off on the site but on by email is created read and ``on_site=False``
(it exists to be mailed). The mailer (``notifications.send_pending_emails``) sends only the
kinds that are on by email, and only while ``User.email_notifications`` (the switch for all
of them, which the older unsubscribe links turn off) is on. Routed questions also need
``User.accepts_routing``: off, routing asks the member nothing at all.

Push (``engine.push``) goes to the devices a member turned it on for. By default only the
conversation the member is in buzzes their phone: answers to their questions, replies,
mentions and their answers accepted (a member who just allowed notifications on a device
should get the notices they most likely want without ticking boxes first); likes, new
threads, routed questions and the rest stay off until chosen, so a phone is not woken for
every vote. A kind off on the site and by email but on by push is created read and
``on_site=False``, like an email-only one, when the member has a device to push to.
"""
from dataclasses import dataclass

from community.models import Notification

Kind = Notification.Kind
CHANNELS = ("site", "email", "push")


@dataclass(frozen=True)
class Row:
    key: str  # stored in ``User.notice_settings``; never renamed
    label: str  # what the settings page and the unsubscribe page call it
    kinds: tuple[str, ...]
    email: bool = True  # the default by email (on the site, every row is on by default)
    push: bool = False  # the default by push, to the member's devices
    site_fixed: bool = False  # always shown on the site: decisions about the member


ROWS = [
    Row("answers", "Answers to your questions", (Kind.ANSWER,), push=True),
    Row("replies", "Replies to your posts and in threads you follow", (Kind.REPLY,),
        push=True),
    Row("mentions", "Mentions of you", (Kind.MENTION,), push=True),
    Row("accepted", "Your answers accepted", (Kind.ACCEPTED,), push=True),
    Row("votes", "Likes and helpful votes on your posts", (Kind.LIKE, Kind.HELPFUL),
        email=False),
    Row("new_threads", "New threads in spaces you follow", (Kind.NEW_THREAD,)),
    Row("routed", "Questions you might help with", (Kind.ROUTED,)),
    Row("staff", "Welcomes and introductions from the hosts", (Kind.WELCOME, Kind.INTRODUCED)),
    Row("flags", "What the hosts decided about posts you flagged", (Kind.FLAG_OUTCOME,),
        email=False),
    Row("collections", "Your posts collected by others, and additions to collections you "
        "follow", (Kind.COLLECTED, Kind.CURATED), email=False),
    Row("featured", "Your moment entries featured by the hosts", (Kind.FEATURED,),
        email=False),
    Row("moderation", "Host decisions about your posts or account", (Kind.MODERATED,),
        site_fixed=True),
]
_BY_KEY = {row.key: row for row in ROWS}
_BY_KIND = {kind: row for row in ROWS for kind in row.kinds}


def register(kind: str, label: str, *, emailed: bool) -> None:
    """A row for another app's notice kind (``notifications.register_notices``)."""
    if kind in _BY_KIND:
        return
    row = Row(str(kind), str(label), (str(kind),), email=emailed)
    ROWS.append(row)
    _BY_KEY[row.key] = row
    _BY_KIND[row.kinds[0]] = row


def rows() -> list[Row]:
    return list(ROWS)


def row_of(kind: str) -> Row | None:
    return _BY_KIND.get(kind)


def row_by_key(key: str) -> Row | None:
    return _BY_KEY.get(key)


def fixed(kind: str) -> bool:
    """Is ``kind`` a decision about the member (always shown, never muted)?"""
    row = _BY_KIND.get(kind)
    return bool(row and row.site_fixed)


def wants(settings: dict | None, kind: str, where: str) -> bool:
    """Does a member with ``settings`` (``User.notice_settings``) want ``kind`` ``where``
    ("site", "email" or "push")? A kind no row names keeps community's old rule (on the
    site and by email; never pushed)."""
    row = _BY_KIND.get(kind)
    if row is None:
        return where != "push"
    if where == "site" and row.site_fixed:
        return True
    default = {"email": row.email, "push": row.push}.get(where, True)
    chosen = (settings or {}).get(row.key) or {}
    value = chosen.get(where, default)
    return value if isinstance(value, bool) else default


def choices_of(settings: dict | None) -> dict[str, dict[str, bool]]:
    """Every row's current choice, defaults filled in."""
    return {row.key: {where: wants(settings, row.kinds[0], where) for where in CHANNELS}
            for row in ROWS}


def emailable_kinds() -> frozenset[str]:
    """Every kind somebody may choose to get by email."""
    return frozenset(kind for row in ROWS for kind in row.kinds)


# Pause ("snooze all") ---------------------------------------------------------------
#
# A member going on holiday pauses their notifications until a moment
# (``User.notices_paused_until``). While paused: no notice email (the mailer marks them
# handled, so nothing is sent late when the pause ends), no digest (the next one after the
# pause covers the whole time, from the last digest sent), and no push (the push sender asks
# :func:`is_snoozed` too). Notices still reach the inbox, quietly: the bell shows the pause
# instead of asking for attention.

PAUSE_CHOICES = (("1d", 1), ("1w", 7), ("2w", 14))  # the quick choices, in days
PAUSE_LONGEST_DAYS = 365


def is_snoozed(user, now=None) -> bool:
    """Are ``user``'s notifications paused at ``now``? No query: the field is on the user
    row every sender already loads."""
    from django.utils import timezone

    until = getattr(user, "notices_paused_until", None)
    return until is not None and until > (now or timezone.now())


def paused_until(user, now=None):
    """When ``user``'s pause ends, or None while they are not paused."""
    return user.notices_paused_until if is_snoozed(user, now) else None


def pushable_kinds() -> frozenset[str]:
    """Every kind somebody may choose to get by push."""
    return emailable_kinds()
