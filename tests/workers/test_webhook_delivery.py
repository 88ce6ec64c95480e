"""Webhooks with a real Celery worker and a Redis of its own that is killed and restarted
empty: every event reaches a real receiver exactly once by id, including the events written
while Redis was down and those whose receiver was down when they were first sent."""
import time
from collections import Counter

import pytest

from community.api.webhooks import services
from community.models import EngagementEvent, Thread, WebhookDelivery
from community.services import conversations
from community.tasks import sweep_events, sweep_webhooks
from tests import factories
from tests.api.webhooks.receiver import Receiver

from .conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def receiver():
    made = Receiver().start()
    yield made
    made.stop()


def _threads(space, author, prefix, n=5):
    for i in range(n):
        conversations.thread_create(author=author, space=space, kind=Thread.Kind.DISCUSSION,
                                    title=f"{prefix} {i}", body="body")


def _expected() -> set[str]:
    return {f"evt_{pk}" for pk in EngagementEvent.objects.filter(kind="thread_created")
            .values_list("pk", flat=True)}


def test_every_event_is_delivered_once_across_a_receiver_outage_and_a_redis_restart(
        redis_server, use_broker, worker_factory, receiver, monkeypatch):
    monkeypatch.setenv("WEBHOOKS_ALLOW_LOOPBACK", "1")  # the worker's receiver is local
    use_broker(redis_server.url)
    worker_factory(redis_server.url, concurrency=2)
    admin = factories.AdminFactory()
    endpoint = services.endpoint_create(admin=admin, url=receiver.url(),
                                        kinds=["thread_created"])
    receiver.secret = endpoint.secret
    space, author = factories.SpaceFactory(), factories.UserFactory()

    _threads(space, author, "Up")  # sent as they happen
    assert len(receiver.wait_for(5, timeout=60)) == 5

    receiver.stop()  # the receiver is down: first attempts fail, retries wait
    _threads(space, author, "Receiver down")
    wait_for(lambda: WebhookDelivery.objects.filter(attempts__gte=1,
                                                    status="pending").count() == 5,
             timeout=60, what="the first attempts to the stopped receiver")

    redis_server.kill()  # queued messages and the broker are gone
    _threads(space, author, "Redis down")  # saved; their messages are lost
    redis_server.start()  # empty
    receiver.start()

    deadline = time.monotonic() + 150
    while time.monotonic() < deadline and set(receiver.ids()) != _expected():
        sweep_events.delay()  # what beat sends every minute, sent faster here
        sweep_webhooks.delay()
        time.sleep(2)
    ids = receiver.ids()
    assert set(ids) == _expected() and len(_expected()) == 15
    assert Counter(ids).most_common(1)[0][1] == 1, "an event was delivered twice"
    assert not receiver.refused
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}
    time.sleep(3)  # and nothing more arrives afterwards
    sweep_webhooks.delay()
    time.sleep(2)
    assert sorted(receiver.ids()) == sorted(ids)
