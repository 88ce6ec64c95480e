"""Fault tests: workers and Redis die; no event is lost or applied twice in effect.

Each test runs its own ``redis-server`` on a free loopback port and its own worker
processes; the machine's Redis is never touched. After the fault, the periodic sweep
(what beat runs every minute) and redelivery must bring every event to processed, and the
stored scores must equal a full rescore.
"""
import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from community.engine import engagement
from community.models import EngagementEvent, Thread
from community.services import conversations
from community.tasks import sweep_events
from tests import factories

from ..community.test_engagement import _snapshot
from .conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _pending() -> int:
    return EngagementEvent.objects.filter(processed_at__isnull=True).count()


def _write_conversation(n_threads: int = 20, replies: int = 4) -> None:
    space = factories.SpaceFactory(name="Fault space")
    people = [factories.UserFactory() for _ in range(6)]
    start = timezone.now() - timedelta(days=1)
    for i in range(n_threads):
        thread = conversations.thread_create(
            author=people[i % 6], space=space,
            kind=Thread.Kind.QUESTION if i % 2 else Thread.Kind.DISCUSSION,
            title=f"Fault thread {i}", body="body", created_at=start + timedelta(minutes=i),
        )
        for r in range(replies):
            conversations.post_create(author=people[(i + r + 1) % 6], thread=thread,
                                      body=f"reply {r}")


def _assert_consistent():
    assert _pending() == 0
    applied = _snapshot()
    engagement.rescore_all()
    assert _snapshot() == applied


def test_killing_a_worker_child_mid_batch_loses_nothing(redis_server, use_broker,
                                                       worker_factory, settings):
    use_broker(redis_server.url)
    worker = worker_factory(redis_server.url, concurrency=2)
    _write_conversation()
    children = worker.children()
    assert children
    for pid in children:  # the pool loses its processes while they work
        try:
            import os

            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    sweep_events.delay()  # what beat sends every minute
    wait_for(lambda: _pending() == 0, timeout=90, what="events to be applied after the kill")
    _assert_consistent()


def test_killing_the_whole_worker_and_starting_again(redis_server, use_broker,
                                                     worker_factory):
    use_broker(redis_server.url)
    worker = worker_factory(redis_server.url)
    worker.stop(signal.SIGKILL)
    _write_conversation()  # messages wait in Redis while no worker runs
    assert _pending() > 0
    worker_factory(redis_server.url)
    wait_for(lambda: _pending() == 0, timeout=90, what="a new worker to apply the backlog")
    _assert_consistent()


def test_redis_killed_with_200_events_pending_and_restarted_empty(redis_server, use_broker,
                                                                  worker_factory):
    use_broker(redis_server.url)
    _write_conversation(n_threads=40, replies=4)  # 200 events, no worker yet
    assert _pending() == 200
    redis_server.kill()
    redis_server.start()  # --save "" --appendonly no: every queued message is gone
    worker_factory(redis_server.url)
    time.sleep(2)
    assert _pending() == 200  # nothing left in the queue to say there is work
    sweep_events.delay()
    wait_for(lambda: _pending() == 0, timeout=90, what="the sweep to apply the lost work")
    _assert_consistent()


def test_members_keep_posting_while_redis_is_unreachable(redis_server, use_broker,
                                                         worker_factory, client):
    use_broker(redis_server.url)
    redis_server.kill()
    _write_conversation(n_threads=3, replies=2)  # every write saved, no error
    assert Thread.objects.filter(title__startswith="Fault thread").count() == 3
    assert _pending() == 9
    redis_server.start()
    worker_factory(redis_server.url)
    sweep_events.delay()
    wait_for(lambda: _pending() == 0, timeout=90, what="the sweep after Redis came back")
    _assert_consistent()
