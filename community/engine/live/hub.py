"""One hub per stream process (per event loop): it reads the outbox once per wake and
hands each signal to the connections allowed it.

A connection is a :class:`Listener`: its reader, its topics and a bounded queue of bytes
its consumer writes out. The hub wakes on the engine's ``PUBLISH`` (Redis), on a wake from
this very process (``make run``) or every ``LIVE_POLL_SECONDS``; it reads new signals in
one thread, loads the threads and posts they name in two queries, and checks each
listener with the permission predicates. Notices go to their recipient's connections only.
"""
import asyncio
import contextlib
import logging
import threading
import time
from collections import defaultdict

from channels.db import database_sync_to_async
from django.conf import settings

from . import outbox, publish
from .signals import Signal, may_receive

log = logging.getLogger(__name__)

QUEUE_SIZE = 256
KEEPALIVE = b": keepalive\n\n"
_hubs: dict[asyncio.AbstractEventLoop, "Hub"] = {}
_hubs_lock = threading.Lock()


def frame(*, event: str, data: str, id: int | None = None) -> bytes:
    head = f"id: {id}\n" if id is not None else ""
    return f"{head}event: {event}\ndata: {data}\n\n".encode()


class Listener:
    __slots__ = ("user", "topics", "queue", "skip")

    def __init__(self, user, topics: list[str]):
        self.user = user
        self.topics = topics
        self.queue: asyncio.Queue[bytes] = asyncio.Queue(QUEUE_SIZE)
        self.skip: set[int] = set()

    def put(self, data: bytes) -> None:
        try:
            self.queue.put_nowait(data)
        except asyncio.QueueFull:  # a reader that does not keep up loads its page again
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(frame(event="resync", data="{}"))


class Hub:
    def __init__(self, loop):
        self.loop = loop
        self.topics: dict[str, set[Listener]] = defaultdict(set)
        self.wake = asyncio.Event()
        self.reader: outbox.Reader | None = None
        self.tasks: list[asyncio.Task] = []
        self.started = asyncio.Event()

    @property
    def floor(self) -> int:
        return self.reader.events.floor if self.reader else 0

    @classmethod
    async def running(cls) -> "Hub":
        loop = asyncio.get_running_loop()
        with _hubs_lock:
            hub = _hubs.get(loop)
            fresh = hub is None
            if fresh:
                hub = _hubs[loop] = cls(loop)
        if fresh:
            hub.reader = await database_sync_to_async(outbox.Reader)()
            hub.tasks = [loop.create_task(hub._run()), loop.create_task(hub._keepalive())]
            if settings.REDIS_URL:
                hub.tasks.append(loop.create_task(hub._listen()))
            hub.started.set()
        await hub.started.wait()
        return hub

    def join(self, listener: Listener) -> None:
        for topic in listener.topics:
            self.topics[topic].add(listener)

    def leave(self, listener: Listener) -> None:
        for topic in listener.topics:
            group = self.topics.get(topic)
            if group is not None:
                group.discard(listener)
                if not group:
                    del self.topics[topic]

    @property
    def connections(self) -> int:
        return len({id(x) for group in self.topics.values() for x in group})

    async def _listen(self) -> None:
        """Wakes from the engine's ``PUBLISH``; reconnects after a Redis outage."""
        import redis.asyncio as aioredis

        while True:
            client = aioredis.Redis.from_url(settings.REDIS_URL)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(publish.channel())
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self.wake.set()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001  (the poll goes on; try again shortly)
                log.warning("Live stream lost Redis; polling the outbox meanwhile",
                            exc_info=True)
                await asyncio.sleep(2)
            finally:
                await client.aclose()

    async def _keepalive(self) -> None:
        """A comment on every connection now and then, so that proxies keep quiet ones
        open (one loop here rather than a timer per connection)."""
        while True:
            await asyncio.sleep(settings.LIVE_KEEPALIVE_SECONDS)
            for listener in {x for group in self.topics.values() for x in group}:
                listener.put(KEEPALIVE)

    async def _run(self) -> None:
        read = database_sync_to_async(self._read)
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), settings.LIVE_POLL_SECONDS)
            self.wake.clear()
            if not self.topics:
                continue
            try:
                signals, recipients, threads, posts = await read()
            except Exception:  # noqa: BLE001  (database away: the next wake reads again)
                log.warning("Live stream could not read the outbox", exc_info=True)
                await asyncio.sleep(1)
                continue
            started = time.perf_counter()
            sent = self.deliver(signals, threads, posts, recipients)
            log.debug("Live: %d signals to %d connections in %.1f ms", len(signals), sent,
                      (time.perf_counter() - started) * 1000)

    def _read(self):
        signals, recipients = self.reader.read()
        from .signals import objects_load

        threads, posts = objects_load(signals) if signals else ({}, {})
        return signals, recipients, threads, posts

    def deliver(self, signals: list[Signal], threads: dict, posts: dict,
                recipients: set[int]) -> int:
        """Queue each signal for the listeners allowed it; returns how many were queued."""
        floor, sent = self.floor, 0
        for signal in signals:
            thread = threads.get(signal.thread)
            data = frame(id=floor, event=signal.kind,
                         data=signal.data(thread.space_id if thread else None))
            listeners = set()
            for topic in signal.topics:
                listeners |= self.topics.get(topic, set())
            post = posts.get(signal.post)
            # One check per reader, not per connection: a reader's tabs, and every
            # anonymous reader, share the answer.
            allowed: dict = {}
            for listener in listeners:
                if signal.event in listener.skip:
                    continue
                who = listener.user.pk
                if who not in allowed:
                    allowed[who] = may_receive(listener.user, signal, thread, post)
                if allowed[who]:
                    listener.put(data)
                    sent += 1
        notice = frame(event="notice", data="{}")
        for who in recipients:
            for listener in self.topics.get(f"user:{who}", ()):
                listener.put(notice)
                sent += 1
        return sent


def wake_local() -> None:
    """Wake every hub of this process (from any thread)."""
    with _hubs_lock:
        hubs = list(_hubs.values())
    for hub in hubs:
        if not hub.loop.is_closed():
            hub.loop.call_soon_threadsafe(hub.wake.set)
