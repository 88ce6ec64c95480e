"""A real Celery worker on real Redis and PostgreSQL applies what members write."""
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from community.models import EngagementEvent, Thread
from community.services import conversations
from tests import factories

from .conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _machine_redis_db15() -> str:
    """The machine's Redis, database 15: a queue of our own without touching anyone's data."""
    return settings.REDIS_URL.rsplit("/", 1)[0] + "/15"


def _all_applied() -> bool:
    return not EngagementEvent.objects.filter(processed_at__isnull=True).exists()


def test_a_post_becomes_an_event_the_worker_applies_and_the_feed_changes(
        client, use_broker, worker_factory):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL")
    broker = _machine_redis_db15()
    use_broker(broker)
    worker_factory(broker)

    space = factories.SpaceFactory(name="Worker space")
    ann, bo, cy = (factories.UserFactory() for _ in range(3))
    old = timezone.now() - timedelta(hours=8)
    quiet = conversations.thread_create(author=ann, space=space, kind=Thread.Kind.DISCUSSION,
                                        title="Older thread", body="Anyone?", created_at=old)
    conversations.thread_create(author=bo, space=space, kind=Thread.Kind.DISCUSSION,
                                title="Newer thread", body="Hi",
                                created_at=old + timedelta(hours=1))
    wait_for(_all_applied, timeout=30, what="the worker to apply the thread events")
    feed = [t.title for t in client.get(reverse("home")).context["page"].threads]
    assert feed == ["Newer thread", "Older thread"]

    reply = conversations.post_create(author=bo, thread=quiet, body="Here!")
    conversations.post_create(author=cy, thread=quiet, body="Me too", parent=reply)
    assert EngagementEvent.objects.filter(processed_at__isnull=True).exists()
    wait_for(_all_applied, timeout=30, what="the worker to apply the reply events")

    quiet.refresh_from_db()
    assert quiet.member_participants == 3 and quiet.member_replies == 2
    feed = [t.title for t in client.get(reverse("home")).context["page"].threads]
    assert feed == ["Older thread", "Newer thread"]
