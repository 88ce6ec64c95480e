"""Sending deliveries: signed, to the checked address, once, retried with backoff for 24 h.

:func:`deliver` locks the delivery row (``SELECT ... FOR UPDATE SKIP LOCKED``) for as long
as the request takes, so two workers never send the same delivery at once; a delivery
that is ``delivered`` is never sent again (only an admin's "send again" puts it back to
pending, with the same message id). A failure (no answer in 5 seconds, a refused
connection, a status that is not 2xx, a redirect: none is followed) schedules the next
attempt after an exponential backoff with full jitter (the minute's sweep sends it when
it is due), until the delivery's 24 hours are
up; then it is ``failed``. Each failure counts against the endpoint: after
``WEBHOOKS_DISABLE_AFTER_FAILURES`` failures in a row, or failures for 24 hours, it is
disabled and the admins are emailed (``services.endpoint_disable_failing``).

A worker killed after the receiver answered but before the commit leaves the delivery
pending and it is sent again with the same ``webhook-id``: receivers deduplicate on it
(docs/webhooks.md).
"""
from __future__ import annotations

import http.client
import json
import logging
import secrets
import socket
import ssl
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from community.models import WebhookDelivery, WebhookEndpoint
from community.models.webhooks import ERROR_MAX, EXCERPT_MAX

from . import guard, payloads, sealing, signing

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5
BACKOFF_BASE_SECONDS = 15
BACKOFF_CAP_SECONDS = 3600
READ_MAX = 4096
SWEEP_BATCH = 200
USER_AGENT = "Gravity-Webhooks/1"
Status = WebhookDelivery.Status


def backoff(attempts: int) -> timedelta:
    """Full jitter: a random wait up to ``base * 2**attempts`` (at most an hour), at least
    a second."""
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** min(attempts, 20))
    return timedelta(seconds=max(1.0, secrets.SystemRandom().uniform(0, ceiling)))


def _disable_after() -> int:
    return int(getattr(settings, "WEBHOOKS_DISABLE_AFTER_FAILURES", 100))


def _disable_window() -> timedelta:
    return timedelta(seconds=getattr(settings, "WEBHOOKS_DISABLE_AFTER_SECONDS", 24 * 3600))


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to the checked address (the URL's host in the Host header)."""

    def __init__(self, target: guard.Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """TLS to the checked address, the certificate verified for the URL's host name."""

    def __init__(self, target: guard.Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout,
                         context=ssl.create_default_context())
        self._address = target.address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(target: guard.Target, headers: dict[str, str], body: bytes) -> tuple[int, str]:
    """POST ``body`` to ``target``; (status, the first bytes of the answer). No redirect
    is followed: ``http.client`` follows none."""
    cls = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = cls(target, TIMEOUT_SECONDS)
    try:
        connection.request("POST", target.path, body=body, headers={
            **headers, "Content-Type": "application/json", "User-Agent": USER_AGENT})
        response = connection.getresponse()
        excerpt = response.read(READ_MAX).decode("utf-8", "replace")
        return response.status, excerpt
    finally:
        connection.close()


def _attempt(delivery: WebhookDelivery, now) -> str:
    endpoint = delivery.endpoint
    body = payloads.body(delivery.event)
    status, excerpt, error = None, "", ""
    try:
        # A secret no configured key opens fails the attempt (retried, then the endpoint
        # is disabled and the admins told), never signs with something else.
        headers = signing.headers(secret=endpoint.secret,
                                  msg_id=payloads.message_id(delivery.event),
                                  timestamp=int(now.timestamp()), body=body)
        target = guard.resolve(endpoint.url)
        status, excerpt = post(target, headers, body)
        if not 200 <= status < 300:
            error = f"HTTP {status}" + (" (redirects are not followed)"
                                        if 300 <= status < 400 else "")
    except guard.UnsafeAddress as refused:
        error = f"Refused: {refused}"
    except sealing.Unsealable as unsealable:
        error = f"Not signed: {unsealable}"
    except (OSError, http.client.HTTPException) as failure:
        error = f"{type(failure).__name__}: {failure}" if str(failure) else type(failure).__name__
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = status
    delivery.last_error = error[:ERROR_MAX]
    delivery.last_response = excerpt[:EXCERPT_MAX]
    if not error:
        delivery.status = Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        WebhookEndpoint.objects.filter(pk=endpoint.pk).exclude(consecutive_failures=0,
                                                               failing_since=None).update(
            consecutive_failures=0, failing_since=None)
    else:
        if delivery.retry_until is not None and now + timedelta(seconds=1) >= delivery.retry_until:
            delivery.status = Status.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            if delivery.retry_until is not None:
                delivery.next_attempt_at = min(delivery.next_attempt_at, delivery.retry_until)
        _count_failure(endpoint, now)
    delivery.save(update_fields=["attempts", "last_attempt_at", "last_status_code",
                                 "last_error", "last_response", "status", "delivered_at",
                                 "next_attempt_at"])
    return delivery.status


def _count_failure(endpoint: WebhookEndpoint, now) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1,
        failing_since=Coalesce("failing_since", now))
    failures, since = WebhookEndpoint.objects.filter(pk=endpoint.pk).values_list(
        "consecutive_failures", "failing_since").get()
    reason = ""
    if failures >= _disable_after():
        reason = f"{failures} failed deliveries in a row"
    elif since is not None and now - since >= _disable_window():
        reason = f"every delivery failed for {_disable_window().total_seconds() / 3600:g} hours"
    if reason:
        from .services import endpoint_disable_failing

        endpoint_disable_failing(endpoint_id=endpoint.pk, reason=reason)


def deliver(delivery_id: int) -> str | None:
    """Send one delivery if it is pending, due and nobody else is sending it; its status
    after, or None when it was not sent."""
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("endpoint", "event")
                    .filter(pk=delivery_id, status=Status.PENDING).first())
        if delivery is None:
            return None
        endpoint = delivery.endpoint
        now = timezone.now()
        if (not endpoint.active or endpoint.deleted_at is not None
                or (delivery.next_attempt_at is not None and delivery.next_attempt_at > now)):
            return None
        return _attempt(delivery, now)


def due_ids(*, limit: int = SWEEP_BATCH) -> list[int]:
    return list(WebhookDelivery.objects.filter(
        status=Status.PENDING, next_attempt_at__lte=timezone.now(), endpoint__active=True,
        endpoint__deleted_at__isnull=True).order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit])


def deliver_due(*, max_batches: int = 50) -> int:
    """The sweep: send every due delivery (each locked while sent, so sweeps on several
    workers share them); returns how many were attempted."""
    done = 0
    for _ in range(max_batches):
        ids = due_ids()
        attempted = sum(deliver(pk) is not None for pk in ids)
        done += attempted
        if len(ids) < SWEEP_BATCH or not attempted:
            break
    return done


def deliver_many(ids: list[int]) -> int:
    return sum(deliver(pk) is not None for pk in ids)


def preview(delivery: WebhookDelivery) -> str:
    """The body as the receiver gets it, indented, for the delivery log."""
    return json.dumps(json.loads(payloads.body(delivery.event)), indent=2)
