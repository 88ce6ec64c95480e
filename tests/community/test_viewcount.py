"""Thread views: counted in the process, sent to Redis each second, written to the database
by a task."""
import socket

import pytest

from community import viewcount
from community.models import Thread
from community.services import conversations
from community.tasks import flush_views

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(db):
    return conversations.thread_create(author=factories.UserFactory(),
                                       space=factories.SpaceFactory(), kind="discussion",
                                       title="How cold should a lager be?", body="Ideas?")


def test_views_wait_in_redis_and_the_task_writes_them_once(client, thread):
    for _ in range(3):
        assert client.get(thread.get_absolute_url()).status_code == 200
    client.get(thread.get_absolute_url(), headers={"HX-Request": "true"})  # a partial: no view
    thread.refresh_from_db()
    assert thread.view_count == 0  # no database write on a page view
    assert viewcount.pending() == {thread.pk: 3}
    assert flush_views() == 1
    assert flush_views() == 0  # nothing counted since: nothing written twice
    thread.refresh_from_db()
    assert thread.view_count == 3 and viewcount.pending() == {}


def test_a_page_still_renders_when_redis_is_down(client, thread, settings):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    live = settings.REDIS_URL
    settings.REDIS_URL = f"redis://127.0.0.1:{dead}/0"
    viewcount._client.cache_clear()
    try:
        response = client.get(thread.get_absolute_url())
        assert response.status_code == 200 and "How cold should a lager be?" in \
            response.content.decode()
        viewcount.send()  # the view is dropped with a warning, nothing raised
    finally:
        settings.REDIS_URL = live
        viewcount._client.cache_clear()
    assert viewcount.pending() == {}
    assert Thread.objects.get(pk=thread.pk).view_count == 0


def test_views_reach_redis_within_seconds_without_being_asked(client, thread):
    import time

    from django.conf import settings

    for _ in range(2):
        client.get(thread.get_absolute_url())
    raw = viewcount._client()
    key = f"{settings.CACHES['default']['KEY_PREFIX']}:thread-views"
    deadline = time.monotonic() + 5 * viewcount.SEND_EVERY
    while raw.hget(key, str(thread.pk)) != b"2" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert raw.hget(key, str(thread.pk)) == b"2"
