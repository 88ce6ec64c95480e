"""The engine's post-commit call that wakes the stream processes.

It sends no fact, only "there is something new" (the highest event id, for the logs): the
stream reads what happened from the outbox, so a wake lost on its way costs a page at most
``LIVE_POLL_SECONDS`` of delay, never an update. With Redis, one ``PUBLISH`` on a pooled
connection (bench/README.md, "Live updates", measures it); without Redis (``make run``:
the stream is in this very process) the hubs of this process are woken directly.
"""
import logging
import threading

from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)

_local = threading.local()


def channel() -> str:
    """The Redis channel the stream processes of this database listen on."""
    return f"gravity:live:{settings.DATABASES['default']['NAME']}"


def _client():
    import redis

    client = getattr(_local, "client", None)
    if client is None or getattr(_local, "url", None) != settings.REDIS_URL:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1,
                                      socket_timeout=1)
        _local.client, _local.url = client, settings.REDIS_URL
    return client


def announce(top: int) -> None:
    """Wake every stream process: events up to ``top`` are applied."""
    from .hub import wake_local

    wake_local()
    if not settings.REDIS_URL:
        return
    try:
        _client().publish(channel(), str(top))
    except Exception:  # noqa: BLE001  (a lost wake is recovered by the stream's own poll)
        log.warning("Could not wake the live stream; it reads the outbox on its next poll",
                    exc_info=True)


def announce_on_commit(events) -> None:
    """After the engine's transaction commits (inside ``engagement._apply``)."""
    top = max(event.pk for event in events)
    transaction.on_commit(lambda: announce(top))
