"""Sending push messages to push services, and what their answers mean.

Each message is locked while it is sent (``SKIP LOCKED``: the sweep and the task never send
one twice at once). The push service's answer decides:

- 201 (or any 2xx): delivered; the message is deleted and the device's ``last_success_at``
  set;
- 404 or 410: the browser dropped the subscription; the device is deleted (its messages
  with it), recorded as ``push_removed`` ("gone");
- 429, 5xx, a timeout or a refused connection: tried again later, after ``BACKOFF`` (or
  the service's ``Retry-After``, if longer), at most ``MAX_ATTEMPTS`` times;
- anything else (400, 403, 413: a message the service will never take): dropped, logged.

The endpoint is checked by the webhooks' SSRF guard before each send, as when it was
saved: a device's address that has come to name a private address is not sent to.
"""
import contextlib
import json
import logging
from datetime import timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from pywebpush import WebPushException, webpush

from community.api.webhooks import guard
from community.models import PushMessage, PushSubscription

from .keys import Keys, vapid

log = logging.getLogger(__name__)

BATCH = 100
TIMEOUT = 10  # seconds, per message
BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10),
           timedelta(hours=1), timedelta(hours=4))
MAX_ATTEMPTS = len(BACKOFF) + 1
TRANSIENT = frozenset({408, 425, 429, 500, 502, 503, 504})
GONE = frozenset({404, 410})


def _topic(tag: str) -> str:
    """The ``Topic`` header (RFC 8030: up to 32 base64url characters): a push service
    keeps only the newest undelivered message of a topic for a device."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in tag)[:32]


def _send(message: PushMessage, keys: Keys) -> tuple[int | None, str, float]:
    """(status, error, retry_after seconds) of one attempt; status None: no answer."""
    subscription = message.subscription
    try:
        guard.resolve(subscription.endpoint)
    except guard.UnsafeAddress as refused:
        return 403, str(refused)[:200], 0
    headers = {"Urgency": "normal"}
    if message.payload.get("tag"):
        headers["Topic"] = _topic(message.payload["tag"])
    try:
        response = webpush(subscription_info=subscription.info(),
                           data=json.dumps(message.payload), vapid_private_key=keys.private,
                           vapid_claims={"sub": keys.subject}, ttl=settings.PUSH_TTL,
                           timeout=TIMEOUT, headers=headers)
    except WebPushException as error:
        response = error.response
        if response is None:
            return None, str(error)[:200], 0
    except requests.RequestException as error:
        return None, f"{type(error).__name__}: {error}"[:200], 0
    retry_after = 0.0
    with contextlib.suppress(ValueError):  # a date instead of seconds: our own backoff
        retry_after = float(response.headers.get("Retry-After") or 0)
    return response.status_code, (response.reason or "")[:200], retry_after


def deliver_due(*, ids=None, now=None, limit: int = BATCH) -> int:
    """Send the messages that are due (or those of ``ids`` that are); returns how many
    were delivered."""
    from community.services.push import subscription_remove

    keys = vapid()
    if keys is None:
        return 0
    now = now or timezone.now()
    delivered = 0
    with transaction.atomic():
        due = (PushMessage.objects.select_for_update(skip_locked=True, of=("self",))
               .select_related("subscription", "subscription__member")
               .filter(next_attempt_at__lte=now).order_by("pk"))
        if ids is not None:
            due = due.filter(pk__in=list(ids))
        gone: set[int] = set()
        for message in list(due[:limit]):
            if message.subscription_id in gone:
                continue
            status, error, retry_after = _send(message, keys)
            if status is not None and 200 <= status < 300:
                message.delete()
                PushSubscription.objects.filter(pk=message.subscription_id).update(
                    last_success_at=timezone.now())
                delivered += 1
            elif status in GONE:
                gone.add(message.subscription_id)
                subscription_remove(actor=message.subscription.member,
                                    subscription=message.subscription, reason="gone")
            elif status is None or status in TRANSIENT:
                message.attempts += 1
                if message.attempts >= MAX_ATTEMPTS:
                    log.warning("Push %s given up after %s attempts: %s", message.pk,
                                message.attempts, error)
                    message.delete()
                    continue
                wait = max(BACKOFF[message.attempts - 1], timedelta(seconds=retry_after))
                message.next_attempt_at = now + min(wait, timedelta(hours=12))
                message.last_error = f"{status or 'no answer'} {error}".strip()[:200]
                message.save(update_fields=["attempts", "next_attempt_at", "last_error"])
            else:
                log.warning("Push %s refused by the push service (%s %s): dropped",
                            message.pk, status, error)
                message.delete()
    return delivered
