"""The engagement engine: apply pending ``EngagementEvent`` rows, exactly once in effect.

Each batch locks pending events in id order with ``SELECT ... FOR UPDATE SKIP LOCKED`` (so
several workers share the work without waiting on each other), rescores the threads and
members they touch, routes new questions, and marks the events processed in the same
transaction. A worker killed mid-batch rolls the whole batch back; the events stay pending
and the next delivery or the periodic sweep applies them. Rescoring recomputes from facts,
so an event applied twice, or after a later one, changes nothing further.
"""
from django.db import transaction
from django.utils import timezone

from community import pages
from community.api.webhooks import outbox as webhooks
from community.engine import answer_order, notifications, routing, scoring
from community.engine.enqueue import enqueue_once
from community.engine.events import PostApproved, PostCreated, ThreadCreated, data_of, touched
from community.engine.live import publish as live
from community.host.listening import signals as listening
from community.models import EngagementEvent, Post

BATCH_SIZE = 200
# Events whose post has new text to read for listening (its tone, the brand, sarcasm).
LISTENED = frozenset({EngagementEvent.Kind.THREAD_CREATED, EngagementEvent.Kind.POST_CREATED,
                      EngagementEvent.Kind.POST_EDITED, EngagementEvent.Kind.POST_APPROVED})


def _apply(events: list[EngagementEvent]) -> None:
    threads: set[int] = set()
    members: set[int] = set()
    for event in events:
        t, m = touched(event)
        threads |= t
        members |= m
    if threads:
        # Everyone who wrote in a touched thread may gain or lose help with it: an answer
        # accepted instead of theirs, a thread deleted under their answers.
        members |= set(
            Post.objects.filter(thread_id__in=threads).order_by().values_list("author_id",
                                                                              flat=True)
            .distinct()
        )
    scoring.rescore_threads(threads)
    scoring.rescore_members(members)
    answered: list[tuple[int, int]] = []
    for event in events:
        data = data_of(event)
        if isinstance(data, ThreadCreated | PostApproved) and (
                data.opens_question):
            if routing.route_question(thread_id=event.thread_id):
                enqueue_once("community.send_route_asks")
                enqueue_once("community.send_push_notifications")
        elif isinstance(data, PostCreated) and data.kind == Post.Kind.ANSWER:
            answered.append((event.thread_id, event.actor_id))
    routing.answers_record(answered)
    listening.signals_compute(e.post_id for e in events if e.post_id and e.kind in LISTENED)
    if notifications.fan_out(events):
        enqueue_once("community.send_notification_emails")
        enqueue_once("community.send_route_asks")
        enqueue_once("community.send_push_notifications")  # engine.push, after commit
    # Webhooks: a delivery per subscribed endpoint, made with the events' processing.
    webhooks.deliveries_make(events)
    EngagementEvent.objects.filter(pk__in=[e.pk for e in events]).update(
        processed_at=timezone.now()
    )
    # The open pages hear of these events (and the notices just made) once this commits:
    # the stream reads them from the outbox (``community.engine.live``).
    live.announce_on_commit(events)
    # New thread scores reorder the thread lists (the engine's own hook; what each event
    # shows is ``community.pages.invalidation``): events about no thread leave the lists alone.
    if threads:
        pages.invalidate_with_commit("feed", *(pages.thread_tag(pk) for pk in threads))


def process_batch(*, limit: int = BATCH_SIZE) -> int:
    """Apply up to ``limit`` pending events; returns how many were applied."""
    with transaction.atomic():
        events = list(
            EngagementEvent.objects.select_for_update(skip_locked=True)
            .filter(processed_at__isnull=True)
            .order_by("pk")[:limit]
        )
        if events:
            _apply(events)
    return len(events)


def apply_events(event_ids: list[int]) -> int:
    """Apply these events whatever their state: a redelivery, or events out of order."""
    with transaction.atomic():
        events = list(
            EngagementEvent.objects.select_for_update().filter(pk__in=event_ids).order_by("pk")
        )
        if events:
            _apply(events)
    return len(events)


def process_pending(*, max_batches: int = 50) -> int:
    """Drain pending events, batch after batch (the task and the sweep call this)."""
    total = 0
    for _ in range(max_batches):
        done = process_batch()
        total += done
        if done < BATCH_SIZE:
            break
    return total


def rescore_all() -> dict:
    """Full, set-based recomputation (``manage.py rescore``)."""
    return {"threads": scoring.rescore_threads(), "members": scoring.rescore_members(),
            "answers": answer_order.answers_rescore()}
