"""A member's notification level of a thread or a space, and the pause of all their
notifications (``engine.notice_levels``, ``engine.notice_settings``).

``check_*`` validates and raises ``ValidationError``; ``*_set`` writes in one transaction
with its event. A level of "default" removes the member's row: the thread (or space) is
back to what taking part and the space's level say.
"""
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from community import permissions
from community.engine import events, notice_settings
from community.models import Notification, Space, SpaceFollow, Thread, ThreadFollow, User

DEFAULT = "default"


def check_level(model, level: str) -> str:
    """``level`` if it is one of ``model``'s levels (or "default"), else ValidationError."""
    if level == DEFAULT or level in model.Level.values:
        return level
    raise ValidationError(gettext("Choose one of the notification levels offered."),
                          code="unknown_level")


def _level_set(*, actor: User, model, target: dict, level: str, recorded: dict) -> bool:
    permissions.require(permissions.is_member(actor),
                        gettext("Sign in to choose your notifications."))
    check_level(model, level)
    with transaction.atomic():
        row = model.objects.select_for_update().filter(user=actor, **target).first()
        if level == DEFAULT:
            if row is None:
                return False
            row.delete()
        elif row is None:
            model.objects.create(user=actor, level=level, **target)
        elif row.level == level:
            return False
        else:
            row.level = level
            row.save(update_fields=["level"])
        events.NoticeLevelSet.record(actor=actor, level=level, **recorded)
    return True


def thread_level_set(*, actor: User, thread: Thread, level: str) -> bool:
    """Set ``actor``'s level of ``thread`` (watching, normal, muted, or default: no row).
    A thread the member may not read is refused (403); True when something changed."""
    permissions.require(permissions.can_view_thread(actor, thread),
                        gettext("You cannot see this thread."))
    return _level_set(actor=actor, model=ThreadFollow, target={"thread": thread}, level=level,
                      recorded={"thread": thread})


def thread_mute_by_link(*, actor: User, thread_id: int) -> bool:
    """Mute a thread from the "Mute this thread" link of a notice's email (signed for the
    member and the thread, ``notifications.Topic.MUTE``). A thread deleted since: nothing."""
    thread = Thread.objects.filter(pk=thread_id).first()
    if thread is None:
        return False
    return _level_set(actor=actor, model=ThreadFollow, target={"thread": thread},
                      level=ThreadFollow.Level.MUTED, recorded={"thread": thread})


def space_level_set(*, actor: User, space: Space, level: str) -> bool:
    """Set ``actor``'s level of ``space``; normal and default both remove the row."""
    level = DEFAULT if level == SpaceFollow.Level.NORMAL else level
    return _level_set(actor=actor, model=SpaceFollow, target={"space": space}, level=level,
                      recorded={"space": space.pk})


PAUSE_DAYS = dict(notice_settings.PAUSE_CHOICES)


def check_pause_until(*, choice: str, date=None, now: datetime | None = None) -> datetime:
    """When a pause chosen as ``choice`` ("1d", "1w", "2w" or "date" with ``date``, a
    ``datetime.date``) ends: the end of that day, in the site's time zone. In the future,
    and at most a year away, or ValidationError."""
    now = now or timezone.now()
    if choice in PAUSE_DAYS:
        return now + timedelta(days=PAUSE_DAYS[choice])
    if choice != "date":
        raise ValidationError(gettext("Choose how long to pause for."), code="unknown_pause")
    if date is None:
        raise ValidationError(gettext("Choose the date your pause ends."), code="no_date")
    today = timezone.localdate(now)
    # Dates first: a year 1 or 9999 never reaches datetime arithmetic.
    if date < today:
        raise ValidationError(gettext("Choose a date in the future."), code="past")
    if date > today + timedelta(days=notice_settings.PAUSE_LONGEST_DAYS):
        raise ValidationError(gettext("A pause lasts at most a year."), code="too_long")
    until = timezone.make_aware(datetime.combine(date, datetime.max.time()).replace(
        microsecond=0))
    if until <= now:
        raise ValidationError(gettext("Choose a date in the future."), code="past")
    return until


def notices_pause(*, actor: User, until: datetime, now: datetime | None = None) -> None:
    """Pause ``actor``'s notification emails (and push) until ``until`` (checked by
    :func:`check_pause_until`). Their notices still reach the inbox."""
    permissions.require(permissions.is_member(actor),
                        gettext("Sign in to pause your notifications."))
    now = now or timezone.now()
    if until <= now or until > now + timedelta(days=notice_settings.PAUSE_LONGEST_DAYS + 1):
        raise ValidationError(gettext("Choose a date in the future, at most a year away."))
    with transaction.atomic():
        User.objects.filter(pk=actor.pk).update(notices_paused_until=until)
        actor.notices_paused_until = until
        events.NoticesPaused.record(actor=actor, until=until.isoformat())


def notices_resume(*, actor: User, now: datetime | None = None) -> bool:
    """End ``actor``'s pause now; False when they were not paused. Nothing held back is
    sent: notices made during the pause were handled, and the next digest covers them."""
    permissions.require(permissions.is_member(actor),
                        gettext("Sign in to change your notifications."))
    if actor.notices_paused_until is None:
        return False
    now = now or timezone.now()
    early = notice_settings.is_snoozed(actor, now)
    with transaction.atomic():
        User.objects.filter(pk=actor.pk).update(notices_paused_until=None)
        # What the mailer has not reached yet stays unsent: no burst of mail as it ends.
        Notification.objects.filter(recipient=actor, emailed_at__isnull=True).update(
            emailed_at=now)
        actor.notices_paused_until = None
        events.NoticesResumed.record(actor=actor, early=early)
    return True
