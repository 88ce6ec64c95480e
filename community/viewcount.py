"""Thread views, counted in Redis and written to the database in batches.

A page view never writes to the database (a counter on a hot row serialises every reader of
a popular thread): it adds one to a Redis hash. ``flush`` (a beat task, every minute) moves
the hash aside with ``RENAME``, so views counted meanwhile go to a fresh hash, and adds its
counts to ``Thread.view_count`` in one statement. Views are approximate by design: with Redis
down a view is not counted (the page still renders); a flush that dies between the database
write and deleting the moved hash counts that minute twice.

Without ``REDIS_URL`` (``make run``: one process, SQLite) a view is added at once.
"""
import functools
import logging

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


def record(thread_id: int) -> None:
    if not settings.REDIS_URL:
        Thread.objects.filter(pk=thread_id).update(view_count=F("view_count") + 1)
        return
    import redis

    try:
        _client().hincrby(_key(), str(thread_id), 1)
    except redis.RedisError as error:
        log.warning("thread view not counted: %s", error)


def pending() -> dict[int, int]:
    """Views counted but not written yet (for tests and the admin)."""
    if not settings.REDIS_URL:
        return {}
    return {int(k): int(v) for k, v in _client().hgetall(_key()).items()}


def flush() -> int:
    """Write counted views to the threads; returns how many threads changed."""
    if not settings.REDIS_URL:
        return 0
    import redis

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
