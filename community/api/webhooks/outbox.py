"""Deliveries made from the events the engine applies, in the engine's transaction.

:func:`deliveries_make` runs inside ``engagement._apply`` before the events are marked
processed: a delivery row per active endpoint subscribed to each sendable event's kind, so
an event is processed and its deliveries exist together or not at all. The unique
(endpoint, event) pair makes a redelivered event add nothing. The sending task is asked
for once the transaction commits; if that message is lost (Redis down), the minute's sweep
(``community.sweep_webhooks``) sends what is due.
"""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from community.engine.enqueue import enqueue
from community.models import EngagementEvent, WebhookDelivery, WebhookEndpoint

from . import payloads

DELIVER_TASK = "community.deliver_webhooks"


def retry_window() -> timedelta:
    return timedelta(seconds=getattr(settings, "WEBHOOKS_RETRY_SECONDS", 24 * 3600))


def deliveries_make(events: list[EngagementEvent]) -> int:
    """Make the deliveries of ``events``; returns how many were new."""
    sendable = [e for e in events if e.kind != payloads.PING and payloads.sendable(e)]
    if not sendable:
        return 0
    endpoints = list(WebhookEndpoint.objects.filter(active=True, deleted_at__isnull=True)
                     .only("pk", "kinds"))
    if not endpoints:
        return 0
    now = timezone.now()
    rows = [WebhookDelivery(endpoint_id=endpoint.pk, event_id=event.pk, next_attempt_at=now,
                            retry_until=now + retry_window())
            for event in sendable for endpoint in endpoints if event.kind in endpoint.kinds]
    if not rows:
        return 0
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(WebhookDelivery.objects.filter(
        event_id__in=[e.pk for e in sendable], status=WebhookDelivery.Status.PENDING,
        attempts=0).order_by("pk").values_list("pk", flat=True))
    if ids:
        enqueue(DELIVER_TASK, ids)
    return len(ids)
