"""Reading the applied events in order, from a floor, late commits included.

Ids are handed out when a row is inserted, not when it commits, and the engine applies
batches side by side: event 103 may be applied after event 105. A reader that kept only
"the highest id seen" would skip 103 for ever. :class:`Tail` keeps a *floor* instead, an
id at or below which every event has been read: it rises to the highest id read, but
never past an event still waiting for the engine (one written in the last
``SETTLE_SECONDS``), nor past the highest id read ``GRACE_SECONDS`` ago (a transaction
still committing); what lies between floor and top is read again and its ids skipped.
"""
import time
from collections import deque
from datetime import timedelta

from django.utils import timezone

from community.models import EngagementEvent, Notification

from .signals import LIVE_KINDS, Signal, signal_of

BATCH = 500
SETTLE_SECONDS = 60
GRACE_SECONDS = 5.0


def latest_event_id() -> int:
    return EngagementEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def latest_notice_id() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def applied_after(after: int, *, limit: int = BATCH) -> list[EngagementEvent]:
    """Applied events of the kinds pages hear of, above ``after``, in id order."""
    return list(EngagementEvent.objects.filter(
        pk__gt=after, processed_at__isnull=False, kind__in=LIVE_KINDS,
    ).only("pk", "kind", "thread_id", "post_id").order_by("pk")[:limit])


def pending_floor() -> int | None:
    """The lowest id the engine has still to apply, among events of the last minute (the
    partial index of pending events answers it). An event dated by its write (``record(at=)``,
    the demo's history) is older than that and never holds the floor: those writes are made
    with the engine applying at once, before any page listens."""
    since = timezone.now() - timedelta(seconds=SETTLE_SECONDS)
    return (EngagementEvent.objects.filter(processed_at__isnull=True, created_at__gte=since)
            .order_by("pk").values_list("pk", flat=True).first())


class Tail:
    """A floor and the ids read above it (see the module's docstring)."""

    def __init__(self, floor: int, clock=time.monotonic):
        self.floor = floor
        self.seen: set[int] = set()
        self.clock = clock
        self.tops: deque[tuple[float, int]] = deque([(clock(), floor)])

    def take(self, ids: list[int], *, limit_below: int | None = None) -> list[int]:
        """Record the ids just read above the floor; returns those not read before, and
        raises the floor as far as it may go."""
        fresh = [pk for pk in ids if pk not in self.seen]
        self.seen.update(fresh)
        top = max(ids, default=self.floor)
        now = self.clock()
        self.tops.append((now, max(top, self.tops[-1][1])))
        while len(self.tops) > 1 and self.tops[1][0] <= now - GRACE_SECONDS:
            self.tops.popleft()
        settled = self.tops[0][1] if self.tops[0][0] <= now - GRACE_SECONDS else self.floor
        candidate = min(top, settled)
        if limit_below is not None:
            candidate = min(candidate, limit_below - 1)
        if candidate > self.floor:
            self.floor = candidate
            self.seen = {pk for pk in self.seen if pk > self.floor}
        return fresh


class Reader:
    """The hub's view of the outbox: new signals and the members with new notices."""

    def __init__(self):
        self.events = Tail(latest_event_id())
        self.notices = Tail(latest_notice_id())

    def read(self) -> tuple[list[Signal], set[int]]:
        signals: list[Signal] = []
        while True:
            rows = applied_after(self.events.floor)
            pending = pending_floor()
            by_id = {row.pk: row for row in rows}
            fresh = self.events.take(list(by_id), limit_below=pending)
            signals += [s for s in (signal_of(by_id[pk]) for pk in fresh) if s]
            if len(rows) < BATCH or not fresh:
                break
        rows = list(Notification.objects.filter(pk__gt=self.notices.floor)
                    .order_by("pk").values_list("pk", "recipient_id")[:BATCH])
        fresh = set(self.notices.take([pk for pk, _ in rows]))
        return signals, {who for pk, who in rows if pk in fresh}


def backlog(after: int) -> tuple[list[Signal], bool]:
    """The signals of events applied above ``after`` (a page reconnecting with its
    ``Last-Event-ID``), and whether there were more than one batch of them (the page then
    loads itself again instead)."""
    rows = applied_after(after)
    return [s for s in map(signal_of, rows) if s], len(rows) >= BATCH
