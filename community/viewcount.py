"""Thread views, counted in Redis and written to the database in batches.

A page view never writes to the database (a counter on a hot row serialises every reader of
a popular thread), nor waits on Redis: it adds one to a counter in the process, which a
thread of the process sends to a Redis hash once a second (``SEND_EVERY``; also when the
process exits, and before ``pending`` and ``flush`` read the hash). A round trip per view
cost a member's thread page a tenth of its requests per second.

``flush`` (a beat task, every minute) moves the hash aside with ``RENAME``, so views counted
meanwhile go to a fresh hash, and adds its counts to ``Thread.view_count`` in one statement.
Views are approximate by design: with Redis down a view is not counted (the page still
renders); a process killed outright loses its last second of views; a flush that dies
between the database write and deleting the moved hash counts that minute twice.

Without ``REDIS_URL`` (``make run``: one process, SQLite) a view is added at once.
"""
import atexit
import functools
import logging
import os
import threading
import time
from collections import Counter

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

from community.models import Thread

log = logging.getLogger(__name__)


@functools.cache
def _client():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)


def _key() -> str:
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    return f"{prefix}:thread-views"


SEND_EVERY = 1.0  # seconds a view waits in the process


class _Counted:
    """Views counted in this process and not sent yet, by hash (the key prefix is part of
    the hash's name, so counts always reach the hash they were counted for)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts: dict[str, Counter] = {}
        self.sender_pid = None

    def add(self, key: str, thread_id: int) -> None:
        with self.lock:
            self.counts.setdefault(key, Counter())[thread_id] += 1
            if self.sender_pid != os.getpid():  # first view in this process (or since fork)
                self.sender_pid = os.getpid()
                threading.Thread(target=self._send_every, name="viewcount", daemon=True).start()

    def _send_every(self) -> None:
        while True:
            time.sleep(SEND_EVERY)
            self.send()

    def send(self) -> None:
        import redis

        with self.lock:
            counts, self.counts = self.counts, {}
        if not counts:
            return
        try:
            with _client().pipeline(transaction=False) as pipe:
                for key, views in counts.items():
                    for thread_id, n in views.items():
                        pipe.hincrby(key, str(thread_id), n)
                pipe.execute()
        except redis.RedisError as error:
            log.warning("%d thread views not counted: %s",
                        sum(n for views in counts.values() for n in views.values()), error)


_counted = _Counted()
send = _counted.send  # the views counted in this process, to Redis now
atexit.register(send)


def record(thread_id: int) -> None:
    if not settings.REDIS_URL:
        Thread.objects.filter(pk=thread_id).update(view_count=F("view_count") + 1)
        return
    _counted.add(_key(), thread_id)


def pending() -> dict[int, int]:
    """Views counted but not written yet (for tests and the admin)."""
    if not settings.REDIS_URL:
        return {}
    send()
    return {int(k): int(v) for k, v in _client().hgetall(_key()).items()}


def flush() -> int:
    """Write counted views to the threads; returns how many threads changed."""
    if not settings.REDIS_URL:
        return 0
    import redis

    send()
    client, key = _client(), _key()
    moved = f"{key}:flushing"
    if not client.exists(moved):  # else: an earlier flush died; finish its batch first
        try:
            client.rename(key, moved)
        except redis.ResponseError:  # nothing counted since the last flush
            return 0
    counts = [(int(k), int(v)) for k, v in client.hgetall(moved).items()]
    if counts:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                from psycopg2.extras import execute_values

                with connection.cursor() as cursor:
                    execute_values(
                        cursor.cursor,
                        "UPDATE community_thread AS t SET view_count = t.view_count + v.n "
                        "FROM (VALUES %s) AS v (id, n) WHERE t.id = v.id",
                        counts, template="(%s::bigint, %s::int)", page_size=1000)
            else:
                for thread_id, n in counts:
                    Thread.objects.filter(pk=thread_id).update(view_count=F("view_count") + n)
    client.delete(moved)
    return len(counts)
