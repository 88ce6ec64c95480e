"""The shared cache when Redis is unreachable: misses and dropped writes, never an error."""
import pytest
from django.core.cache import cache
from django.urls import reverse

from bench.serving import free_port
from community import submissions

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_away(settings):
    settings.CACHES = {**settings.CACHES, "default": {
        **settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}}
    cache.close()
    yield
    cache.close()


def test_reads_miss_writes_drop_and_claims_succeed(redis_away, member):
    assert cache.get("anything", "fallback") == "fallback"
    cache.set("anything", 1)
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("anything") is False
    with pytest.raises(ValueError):
        cache.incr("counter")
    # A form's nonce is claimed: the post is made rather than taken for a repeat.
    assert submissions.claim(member, "nonce-1") == (True, None)


def test_pages_and_posts_work_without_redis(redis_away, client, member, space_with_thread):
    thread = space_with_thread
    client.force_login(member)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(thread.get_absolute_url()).status_code == 200
    response = client.post(reverse("thread_reply", args=[thread.pk]),
                           {"body": "Still posting.", "nonce": "n1"})
    assert response.status_code == 302
    assert thread.posts.filter(body="Still posting.").exists()


@pytest.fixture
def space_with_thread(db):
    from community.models import Thread
    from community.services import conversations

    from .. import factories

    return conversations.thread_create(
        author=factories.UserFactory(), space=factories.SpaceFactory(name="Away"),
        kind=Thread.Kind.DISCUSSION, title="Redis is away", body="Is it?")
