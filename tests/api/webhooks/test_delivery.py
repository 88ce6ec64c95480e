"""Webhook delivery from the event outbox to a real receiver on a loopback port: signed,
exactly once by id, retried across a receiver outage and for a day, then given up; an
endpoint that keeps failing is disabled and the admins are emailed."""
import socket
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from community.api.webhooks import delivery, payloads, services
from community.engine import engagement, events
from community.models import EngagementEvent, Thread, WebhookDelivery, WebhookEndpoint
from community.services import conversations
from tests import factories

pytestmark = pytest.mark.django_db
Status = WebhookDelivery.Status


def _endpoint(receiver, admin, kinds=("thread_created", "post_created"), **kw):
    endpoint = services.endpoint_create(admin=admin, url=kw.pop("url", receiver.url()),
                                        kinds=list(kinds), description="CRM")
    receiver.secret = endpoint.secret
    return endpoint


def _thread(title="Which kettle for 20 litres?"):
    return conversations.thread_create(author=factories.UserFactory(),
                                       space=factories.SpaceFactory(), kind=Thread.Kind.QUESTION,
                                       title=title, body="Advice please.")


def _at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_a_new_thread_reaches_the_receiver_signed_and_once(
        receiver, django_capture_on_commit_callbacks):
    admin = factories.AdminFactory()
    with django_capture_on_commit_callbacks(execute=True):  # one test transaction: the
        _endpoint(receiver, admin)  # commit hooks of every write run here
        thread = _thread()
    assert receiver.wait_for(1) == [f"evt_{thread_event(thread).pk}"]
    sent = receiver.received[0]
    assert sent["body"]["type"] == "thread_created"
    assert sent["body"]["data"]["thread"] == thread.pk
    assert sent["body"]["data"]["kind"] == "question"
    assert "mentions" not in sent["body"]["data"]
    assert sent["headers"]["webhook-signature"].startswith("v1,")
    assert not receiver.refused
    d = WebhookDelivery.objects.get()
    assert (d.status, d.attempts, d.last_status_code) == (Status.DELIVERED, 1, 200)
    assert d.last_response == "answered 200"
    # The sweep, a redelivered message, the engine applying the event again: nothing more.
    delivery.deliver_due()
    delivery.deliver_many([d.pk])
    engagement.apply_events([thread_event(thread).pk])
    assert WebhookDelivery.objects.count() == 1
    assert receiver.ids() == [f"evt_{thread_event(thread).pk}"]


def thread_event(thread):
    return EngagementEvent.objects.get(kind="thread_created", thread_id=thread.pk)


def test_only_subscribed_kinds_and_active_endpoints_get_deliveries(receiver):
    admin = factories.AdminFactory()
    replies = _endpoint(receiver, admin, kinds=["post_created"])
    off = _endpoint(receiver, admin, kinds=["thread_created"])
    services.endpoint_set_active(admin=admin, endpoint=off, active=False)
    gone = _endpoint(receiver, admin, kinds=["thread_created"])
    services.endpoint_delete(admin=admin, endpoint=gone)
    thread = _thread()
    conversations.post_create(author=factories.UserFactory(), thread=thread, body="The 30 L.")
    engagement.process_pending()
    assert list(WebhookDelivery.objects.values_list("endpoint_id", "event__kind")) == [
        (replies.pk, "post_created")]


def test_what_not_everybody_may_see_is_not_sent(receiver):
    admin = factories.AdminFactory()
    _endpoint(receiver, admin, kinds=["thread_created", "collection_created"])
    author = factories.UserFactory()
    thread = _thread()
    held = events.ThreadCreated.record(actor=author, thread=thread, post=thread.opening_post,
                                       kind="question", space=thread.space_id, held=True)
    hidden = events.CollectionCreated.record(actor=author, collection=1, public=False)
    engagement.process_pending()
    sent = set(WebhookDelivery.objects.values_list("event_id", flat=True))
    assert sent == {thread_event_public(thread).pk}
    assert not sent & {held.pk, hidden.pk}
    values = {v for v, _ in payloads.subscribable()}
    assert "thread_created" in values and "project_status" in values
    assert not values & {"followed", "notice_settings_changed", "ownership_pending",
                         "member_suspended", "webhook_saved", "webhook_pinged", "invite_sent"}


def thread_event_public(thread):
    return EngagementEvent.objects.get(kind="thread_created", thread_id=thread.pk,
                                       payload__held=False)


def test_a_receiver_down_for_a_minute_gets_every_event_once_when_it_is_back(receiver):
    admin = factories.AdminFactory()
    _endpoint(receiver, admin)
    receiver.stop()
    start = timezone.now()
    with _at(start):
        threads = [_thread(f"Kettle {i}") for i in range(3)]
        engagement.process_pending()
        assert delivery.deliver_due() == 3  # each tried, each refused
    pending = list(WebhookDelivery.objects.order_by("pk"))
    assert {d.status for d in pending} == {Status.PENDING}
    assert all(d.attempts == 1 and d.last_status_code is None and d.last_error
               for d in pending)
    assert all(start < d.next_attempt_at <= start + timedelta(seconds=30) for d in pending)
    with _at(start + timedelta(seconds=20)):
        delivery.deliver_due()  # still down: those due are tried again, later each time
    receiver.start()  # back a minute later; each is sent at its next try, as beat sweeps
    end, _ = _run_until_settled(start + timedelta(minutes=1, seconds=1))
    assert end - start <= timedelta(minutes=4)  # backoff ceilings 30 s, 60 s, 120 s
    expected = sorted(f"evt_{thread_event(t).pk}" for t in threads)
    assert sorted(receiver.ids()) == expected
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {Status.DELIVERED}
    with _at(start + timedelta(minutes=5)):
        delivery.deliver_due()
    assert sorted(receiver.ids()) == expected
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.active, endpoint.consecutive_failures, endpoint.failing_since) == (
        True, 0, None)


def _run_until_settled(start, *, limit=200):
    """Move the clock to each next attempt and sweep, as beat would, until nothing is due."""
    now, attempts = start, 0
    for _ in range(limit):
        due = (WebhookDelivery.objects.filter(status=Status.PENDING,
                                              endpoint__active=True)
               .order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first())
        if due is None:
            break
        now = max(now, due)
        with _at(now):
            attempts += delivery.deliver_due()
    return now, attempts


def test_a_receiver_failing_for_a_day_is_given_up_disabled_and_the_admins_are_emailed(
        receiver, django_capture_on_commit_callbacks, settings):
    admin = factories.AdminFactory(email="ops@example.com")
    endpoint = _endpoint(receiver, admin)
    receiver.status = 500
    start = timezone.now()
    with _at(start):
        _thread()
        engagement.process_pending()
    with django_capture_on_commit_callbacks(execute=True):
        end, attempts = _run_until_settled(start)
    d = WebhookDelivery.objects.get()
    assert d.status == Status.FAILED
    assert d.last_status_code == 500 and d.last_response == "answered 500"
    assert 8 <= d.attempts == attempts == len(receiver.ids())  # backoff, not hammering
    assert len(set(receiver.ids())) == 1  # every retry carries the same id
    assert timedelta(hours=23) <= end - start <= timedelta(hours=24, seconds=1)
    gaps = [b - a for a, b in zip(_times(receiver), _times(receiver)[1:], strict=False)]
    assert max(gaps) <= 3600
    endpoint.refresh_from_db()
    assert not endpoint.active and "24 hours" in endpoint.disabled_reason
    assert EngagementEvent.objects.filter(kind="webhook_saved", actor=None,
                                          payload__action="disabled").count() == 1
    [message] = mail.outbox
    assert message.to == ["ops@example.com"]
    assert endpoint.url in message.subject and "/host/webhooks/" in message.body


def _times(receiver):
    return [int(r["headers"]["webhook-timestamp"]) for r in receiver.received]


def test_n_failures_in_a_row_disable_the_endpoint_once(receiver, settings,
                                                       django_capture_on_commit_callbacks):
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 3
    admin = factories.AdminFactory(email="ops@example.com")
    endpoint = _endpoint(receiver, admin)
    receiver.status = 503
    for i in range(5):
        _thread(f"Kettle {i}")
    engagement.process_pending()
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.deliver_due() == 3  # the third failure turned it off
        assert delivery.deliver_due() == 0
    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.disabled_reason == "3 failed deliveries in a row"
    assert len(receiver.ids()) == 3
    assert len(mail.outbox) == 1
    # Enabled again by an admin once the receiver is fixed: what waited goes out.
    receiver.status = 200
    with django_capture_on_commit_callbacks(execute=True):
        services.endpoint_set_active(admin=admin, endpoint=endpoint, active=True)
    assert len(set(receiver.ids())) == 5
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {Status.DELIVERED}


def test_send_again_sends_the_same_id(receiver, django_capture_on_commit_callbacks):
    admin = factories.AdminFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _endpoint(receiver, admin)
        _thread()
    d = WebhookDelivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_resend(admin=admin, delivery=d)
    first, second = receiver.wait_for(2)
    assert first == second == f"evt_{d.event_id}"
    d.refresh_from_db()
    assert (d.status, d.attempts) == (Status.DELIVERED, 2)
    assert EngagementEvent.objects.filter(kind="webhook_saved", payload__action="resent",
                                          payload__delivery=d.pk).exists()


def test_a_redirect_is_not_followed(receiver):
    admin = factories.AdminFactory()
    _endpoint(receiver, admin)
    receiver.status = 302
    _thread()
    engagement.process_pending()
    delivery.deliver_due()
    d = WebhookDelivery.objects.get()
    assert d.status == Status.PENDING and d.last_status_code == 302
    assert "redirects are not followed" in d.last_error
    assert len(receiver.ids()) == 1


def test_the_sender_connects_to_the_address_it_checked(receiver, monkeypatch):
    """A name looked up once per attempt: a DNS answer that changes after the check (to a
    private address) is never used."""
    real = socket.getaddrinfo
    answers = {"hooks.example": ["127.0.0.1", "10.0.0.5"]}
    asked = []

    def lookup(host, port, *args, **kwargs):
        if host in answers:
            asked.append(host)
            ip = answers[host][0] if len(asked) == 1 else answers[host][1]
            return real(ip, port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    admin = factories.AdminFactory()
    endpoint = services.endpoint_create(admin=admin, url=receiver.url(host="hooks.example"),
                                        kinds=["thread_created"])
    receiver.secret = endpoint.secret
    asked.clear()  # the registration's own check
    _thread()
    engagement.process_pending()
    delivery.deliver_due()
    assert asked == ["hooks.example"]
    assert receiver.received[0]["headers"]["Host"] == f"hooks.example:{receiver.port}"
    # The next lookup answers a private address: refused before any connection.
    _thread("Another")
    engagement.process_pending()
    delivery.deliver_due()
    refused = WebhookDelivery.objects.order_by("-pk").first()
    assert refused.status == Status.PENDING and "10.0.0.5" in refused.last_error
    assert len(receiver.ids()) == 1


def test_a_loopback_endpoint_is_refused_at_delivery_when_loopback_is_not_allowed(
        receiver, settings):
    admin = factories.AdminFactory()
    _endpoint(receiver, admin)
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    _thread()
    engagement.process_pending()
    delivery.deliver_due()
    d = WebhookDelivery.objects.get()
    assert d.status == Status.PENDING and d.last_error.startswith("Refused:")
    assert receiver.ids() == []


def test_a_receiver_that_does_not_answer_in_five_seconds_is_a_failure(receiver):
    import time

    admin = factories.AdminFactory()
    _endpoint(receiver, admin)
    receiver.delay = 7
    _thread()
    engagement.process_pending()
    began = time.monotonic()
    delivery.deliver_due()
    took = time.monotonic() - began
    d = WebhookDelivery.objects.get()
    assert 4.5 <= took < 6.5
    assert d.status == Status.PENDING and d.last_status_code is None
    assert "timed out" in d.last_error.lower() or "timeout" in d.last_error.lower()
