"""The live stream (community/engine/live): who hears of what, and what a page that lost
its connection gets back. Real ASGI application, PostgreSQL and Redis; the engine runs
in-process (TASKS_EAGER) and wakes the stream after commit, as in production."""
import json

import pytest
from channels.db import database_sync_to_async

from community.engine.live.outbox import Tail
from community.models import EngagementEvent, Post, Thread
from community.services import conversations, moderation
from tests import factories
from tests.live import Stream, run, session_cookie

# The stream reads what the test wrote from other threads: committed rows.
live_db = pytest.mark.django_db(transaction=True)


@pytest.fixture
def question(transactional_db):
    owner = factories.UserFactory(username="asker")
    thread = conversations.thread_create(
        author=owner, space=factories.SpaceFactory(name="Kettles"), kind=Thread.Kind.QUESTION,
        title="Which kettle for 20 litres?", body="Looking for advice.")
    return thread


def hold_first_posts():
    from community.models import CommunitySettings

    rules = CommunitySettings.get()
    rules.hold_first_posts = 3
    rules.save()


def kinds(frames):
    return [f[0] for f in frames]


def data(frame):
    return json.loads(frame[2])


@live_db
def test_a_reply_reaches_the_readers_of_its_thread_and_its_notice_only_the_asker(
        client, question):
    reader = factories.UserFactory(username="reader")
    writer = factories.UserFactory(username="writer")
    asker_cookie = session_cookie(client, question.author)
    reader_cookie = session_cookie(client, reader)

    async def scenario():
        asker = await Stream.open(topics=f"thread:{question.pk}", cookie=asker_cookie)
        watcher = await Stream.open(topics=f"thread:{question.pk}", cookie=reader_cookie)
        anonymous = await Stream.open(topics=f"thread:{question.pk},feed")
        assert (asker.status, watcher.status, anonymous.status) == (200, 200, 200)
        post = await database_sync_to_async(conversations.post_create)(
            author=writer, thread=question, body="The 30 litre one, with a tap.")
        for stream in (asker, watcher, anonymous):
            frames = await stream.until(lambda f: f[0] == "post_created")
            created = [data(f) for f in frames if f[0] == "post_created"]
            assert created == [{"e": created[0]["e"], "k": "post_created", "t": question.pk,
                                "p": post.pk, "s": question.space_id}]
        await asker.until(lambda f: f[0] == "notice")  # the bell: an answer to their question
        assert "notice" not in kinds(await watcher.quiet_for(1.0))
        assert "notice" not in kinds(anonymous.frames)
        for stream in (asker, watcher, anonymous):
            await stream.close()

    run(scenario)


@live_db
def test_a_held_post_reaches_its_author_and_the_hosts_only_and_a_hidden_one_vanishes(
        client, question, settings):
    author = factories.NewMemberFactory(username="newcomer")
    reader = factories.UserFactory(username="reader")
    host = factories.HostFactory(username="thehost")
    cookies = {who.username: session_cookie(client, who) for who in (author, reader, host)}
    hold_first_posts()

    async def scenario():
        streams = {name: await Stream.open(topics=f"thread:{question.pk}", cookie=cookie)
                   for name, cookie in cookies.items()}
        streams["anonymous"] = await Stream.open(topics=f"thread:{question.pk}")
        held = await database_sync_to_async(conversations.post_create)(
            author=author, thread=question, body="Buy it at http://example.com/cheap-kettles")
        await database_sync_to_async(held.refresh_from_db)()
        assert held.status == Post.Status.HELD
        for name in ("newcomer", "thehost"):
            await streams[name].until(lambda f: f[0] == "post_created")
        for name in ("reader", "anonymous"):
            assert "post_created" not in kinds(await streams[name].quiet_for(1.0))

        public = await database_sync_to_async(conversations.post_create)(
            author=reader, thread=question, body="Mine leaks at the tap, sadly.")
        for stream in streams.values():
            await stream.until(lambda f: f[0] == "post_created" and data(f)["p"] == public.pk)
        await database_sync_to_async(moderation.review_hide)(
            actor=host, post=public, reason="Off topic.")
        for stream in streams.values():  # everyone may see it go
            frames = await stream.until(lambda f: f[0] == "post_hidden")
            assert [data(f)["p"] for f in frames if f[0] == "post_hidden"] == [public.pk]
        for stream in streams.values():
            await stream.close()

    run(scenario)


@live_db
def test_a_page_that_reconnects_with_its_last_event_id_gets_what_it_missed_filtered(
        client, question):
    reader = factories.UserFactory(username="reader")
    newcomer = factories.NewMemberFactory(username="newcomer")
    writer = factories.UserFactory(username="writer")
    cookie = session_cookie(client, reader)
    hold_first_posts()

    async def scenario():
        first = await Stream.open(topics=f"thread:{question.pk}", cookie=cookie)
        hello = (await first.until(lambda f: f[0] == "hello"))[0]
        last = int(hello[1])
        await first.close()  # the connection is lost
        missed = await database_sync_to_async(conversations.post_create)(
            author=writer, thread=question,
            body="The 30 litre one.")
        held = await database_sync_to_async(conversations.post_create)(
            author=newcomer, thread=question, body="See http://example.com/offer now")
        again = await Stream.open(topics=f"thread:{question.pk}", cookie=cookie, last=last)
        frames = await again.until(lambda f: f[0] == "post_created")
        posts = [data(f)["p"] for f in frames if f[0] == "post_created"]
        assert posts == [missed.pk]  # from the outbox, not the newcomer's held post
        assert held.pk not in posts
        await again.close()

    run(scenario)


@pytest.mark.django_db  # the consumer closes stale connections as it ends
@pytest.mark.parametrize(("topics", "status"), [
    ("", 400), ("thread:abc", 400), ("users:1", 400), (",".join(["feed"] * 9) + ",thread:1", 400),
])
def test_malformed_topics_are_refused(topics, status):
    async def scenario():
        stream = await Stream.open(topics=topics)
        assert stream.status == status

    run(scenario)


@pytest.mark.django_db
def test_the_stream_answers_get_only():
    async def scenario():
        stream = await Stream.open(topics="feed", method="POST")
        assert stream.status == 405

    run(scenario)


def test_the_floor_never_passes_an_event_that_commits_late():
    now = [0.0]
    tail = Tail(100, clock=lambda: now[0])
    assert tail.take([101, 102, 105]) == [101, 102, 105]
    assert tail.floor == 100  # 103 and 104 may still be committing
    now[0] = 6.0
    assert tail.take([101, 102, 103, 105]) == [103]  # the late one, read once
    assert tail.floor == 105
    assert tail.take([106], limit_below=106) == [106]  # 106 read; an earlier one pending
    assert tail.floor == 105


def test_an_event_kind_pages_hear_of_is_one_the_caches_know():
    from community.engine.live.signals import LIVE
    from community.pages.invalidation import STALE

    assert set(LIVE) <= set(STALE)
    assert all(kind in EngagementEvent.Kind.values for kind in LIVE)
