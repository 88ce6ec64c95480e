"""Web push: the notices a member chose to get on their devices (VAPID, RFC 8030/8291/8292).

The flow, after the engine's batch that created the notices has committed:

1. ``community.send_push_notifications`` (notifications queue, asked for by the engine
   when fan-out made notices) calls :func:`send_pending`: it locks notices not yet
   pushed (``SELECT ... FOR UPDATE SKIP LOCKED``) of members who have a device, marks
   them ``pushed_at`` and hands them to :func:`push_for_notices`, which makes one
   ``PushMessage`` per wanted notice and device, in the same transaction: a lost task
   message, or a second worker, pushes nothing twice, and the minute sweep
   (``community.sweep_push``) picks up what a lost message left.
2. :func:`delivery.deliver_due` sends each message (encrypted with ``aes128gcm`` for the
   device's keys, signed with the site's VAPID key: ``pywebpush``) and deletes it once the
   push service accepted it; 404 and 410 delete the device; 429, 5xx and network errors
   keep the message for another try with backoff, a few times.

:func:`push_for_notices` is the one door every push goes through: a check that should stop
pushes for a member (a "snooze all") belongs in it, and nowhere else.

What a message says is the member's own notice, as the inbox says it, and a link to open
it (``notification_open``), which reads nothing to anybody who is not signed in as them.
"""
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from community.engine import notice_settings
from community.engine.notice_words import describe
from community.models import Notification, PushMessage, PushSubscription

from .keys import enabled, vapid

__all__ = ["enabled", "push_for_notices", "send_pending", "payload_of", "vapid"]

Kind = Notification.Kind
BATCH = 100
# A notice older than this when first seen is not pushed any more (the sweep was stopped):
# a phone buzzing for yesterday's answer helps nobody; it is in the inbox.
FRESH = timedelta(hours=6)
BODY_MAX = 300


def payload_of(notice: Notification) -> dict:
    """What the device shows: the site's name, the notice as the member's inbox says it,
    where tapping it leads, and a tag that collapses notices of one thread and kind into
    one on the device."""
    recipient = notice.recipient
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        body = str(describe(notice))
    url = (notice.url if notice.kind == Kind.ROUTED and notice.url.startswith("/")
           and not notice.url.startswith("//")
           else reverse("notification_open", args=[notice.pk]))
    tag = (f"{notice.kind}-t{notice.thread_id}" if notice.thread_id
           else f"{notice.kind}-n{notice.pk}")
    return {"title": settings.SITE_NAME, "body": body[:BODY_MAX], "url": url, "tag": tag}


def _wanted(notice: Notification) -> bool:
    recipient = notice.recipient
    return (recipient.is_active and not recipient.is_former_member
            and notice_settings.wants(recipient.notice_settings, notice.kind, "push")
            # Paused for a holiday: nothing buzzes; the notice waits in the inbox, and
            # is not pushed late when the pause ends (``send_pending`` marks it handled).
            and not notice_settings.is_snoozed(recipient)
            and (recipient.accepts_routing or notice.kind != Kind.ROUTED))


def push_for_notices(notices: list[Notification]) -> list[PushMessage]:
    """Queue a push of each of ``notices`` (recipient, actor and thread loaded) that its
    member wants pushed, to each of their devices; inside the caller's transaction.
    Returns the messages made (sent by ``delivery.deliver_due``)."""
    if not notices or not enabled():
        return []
    wanted = [notice for notice in notices if _wanted(notice)]
    if not wanted:
        return []
    devices: dict[int, list[PushSubscription]] = {}
    for device in PushSubscription.objects.filter(
            member_id__in={notice.recipient_id for notice in wanted}):
        devices.setdefault(device.member_id, []).append(device)
    now = timezone.now()
    messages = [PushMessage(subscription=device, payload=payload_of(notice),
                            next_attempt_at=now)
                for notice in wanted for device in devices.get(notice.recipient_id, [])]
    return PushMessage.objects.bulk_create(messages)


def send_pending(*, limit: int = BATCH) -> int:
    """Push the notices not pushed yet (each once) and send their messages; returns how
    many notices were handled."""
    from .delivery import deliver_due

    if not enabled():
        return 0
    with transaction.atomic():
        notices = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "actor", "thread")
            .filter(pushed_at__isnull=True, created_at__gte=timezone.now() - FRESH,
                    kind__in=notice_settings.pushable_kinds() | {Kind.ROUTED},
                    recipient_id__in=PushSubscription.objects.values("member_id"))
            .order_by("pk")[:limit]
        )
        now = timezone.now()
        for notice in notices:
            notice.pushed_at = now
        Notification.objects.bulk_update(notices, ["pushed_at"])
        messages = push_for_notices(notices)
    if messages:
        deliver_due(ids=[message.pk for message in messages])
    return len(notices)


def members_with_devices(member_ids) -> set[int]:
    """Which of these members have a device to push to (fan-out keeps a push-only notice
    for them)."""
    return set(PushSubscription.objects.filter(member_id__in=set(member_ids))
               .values_list("member_id", flat=True).distinct())
