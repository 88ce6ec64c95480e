"""The live stream (``/stream/``, community/engine/live) x every role -> the status it
answers. A module of its own: the stream reads threads from connections of its own, so this
test commits (``transaction=True``), which the shared world of tests/test_permission_matrix.py
(one open transaction per module) does not allow beside it."""
import pytest

from community.models import Thread
from community.services import conversations

from . import factories
from .conftest import ROLES, make_role_user
from .test_permission_matrix import ADMIN, ANON, STAFF, UNVERIFIED, anon_then, everyone

# The live stream (``/stream/``, community/engine/live): each topic a page may ask for x
# every role -> the status the stream answers (200: it stays open). A reader's own notices
# come on their own connection, never by name ("user:<id>" is no topic anyone may ask for).
STREAM_MATRIX = {
    "feed": everyone(200),
    "inbox": {**anon_then(403, 200), UNVERIFIED: 403},
    "thread:public": everyone(200),
    "thread:hidden": {**everyone(403), STAFF: 200, ADMIN: 200},
    "thread:deleted": {**everyone(403), STAFF: 200, ADMIN: 200},
    "thread:missing": everyone(404),
    "user:owner": everyone(400),
}


@pytest.mark.django_db(transaction=True)  # the stream reads from threads of its own
def test_stream_matrix(client):
    from tests.live import Stream, run, session_cookie

    owner = factories.UserFactory(username="owner")
    space = factories.SpaceFactory(name="Kettles")
    threads = {name: conversations.thread_create(
        author=owner, space=space, kind=Thread.Kind.DISCUSSION, title=f"A {name} thread",
        body="About kettles.") for name in ("public", "hidden", "deleted")}
    Thread.objects.filter(pk=threads["hidden"].pk).update(is_hidden=True)
    Thread.objects.filter(pk=threads["deleted"].pk).update(is_deleted=True)
    topics = {"feed": "feed", "inbox": "inbox", "thread:missing": "thread:999999",
              "user:owner": f"user:{owner.pk}",
              **{f"thread:{name}": f"thread:{t.pk}" for name, t in threads.items()}}
    assert set(topics) == set(STREAM_MATRIX)

    async def status(topic, cookie):
        stream = await Stream.open(topics=topic, cookie=cookie)
        if stream.status == 200:
            await stream.close()
        return stream.status

    got, expected = {}, {}
    for role in ROLES:
        user = make_role_user(role)
        cookie = None if role in (ANON, UNVERIFIED) else session_cookie(client, user)
        for name, topic in topics.items():
            got[name, role] = run(status, topic, cookie)
            expected[name, role] = STREAM_MATRIX[name][role]
    assert got == expected
