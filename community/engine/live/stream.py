"""``/stream/``: server-sent events for the pages open on a thread, the lists or the inbox.

``GET /stream/?topics=thread:12,feed`` (``Last-Event-ID`` header, or ``?last=`` for a page
that reconnects by itself). A Django Channels consumer on the ASGI server: the session
cookie signs the reader in (``reader.StreamReader``), the topics are checked with the
permission predicates (400 malformed, 403 a thread the reader may not read, 404 none such),
then the answer stays open: a ``hello`` carrying the floor, the backlog after
``Last-Event-ID`` read from the outbox and filtered for the reader, then what the hub
hands over, with a comment every ``LIVE_KEEPALIVE_SECONDS`` so that proxies keep it open.
"""
import asyncio
import json
from urllib.parse import parse_qs

from channels.consumer import AsyncConsumer
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer

from . import outbox
from .hub import Hub, Listener, frame
from .signals import (
    TopicError,
    may_receive,
    objects_load,
    private_topic,
    topics_check,
    topics_parse,
)

HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-store"),
    (b"x-accel-buffering", b"no"),  # nginx: pass each event on at once
    (b"x-content-type-options", b"nosniff"),
]
RETRY_MS = 3000


def _last_id(scope, query) -> int | None:
    raw = dict(scope.get("headers") or {}).get(b"last-event-id", b"").decode("latin-1")
    raw = raw or (query.get("last") or [""])[0]
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


def _backlog(user, after: int, skip: set[int]) -> tuple[list[bytes], bool]:
    signals, overflow = outbox.backlog(after)
    if overflow:
        return [], True
    threads, posts = objects_load(signals) if signals else ({}, {})
    frames = []
    for signal in signals:
        thread = threads.get(signal.thread)
        if may_receive(user, signal, thread, posts.get(signal.post)):
            skip.add(signal.event)
            frames.append(frame(id=after, event=signal.kind,
                                data=signal.data(thread.space_id if thread else None)))
    return frames, False


class LiveStream(AsyncConsumer):
    listener: Listener | None = None
    hub: Hub | None = None
    pump: asyncio.Task | None = None

    async def http_request(self, message):
        if message.get("more_body"):
            return
        if self.scope.get("method") not in ("GET", "HEAD"):
            await self._refuse(405, "GET only")
            return
        user = self.scope["user"]
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        try:
            topics, threads = topics_parse((query.get("topics") or [""])[0])
            await database_sync_to_async(topics_check)(user, topics, threads)
        except TopicError as refused:
            await self._refuse(refused.status, str(refused))
            return
        own = private_topic(user)
        self.listener = Listener(user, topics + ([own] if own else []))
        self.hub = await Hub.running()
        self.hub.join(self.listener)
        last = _last_id(self.scope, query)
        await self.send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        hello = frame(id=last if last is not None else self.hub.floor, event="hello",
                      data=json.dumps({"floor": self.hub.floor}))
        chunks = [f"retry: {RETRY_MS}\n\n".encode(), hello]
        if last is not None:
            frames, overflow = await database_sync_to_async(_backlog)(
                user, last, self.listener.skip)
            chunks += [frame(event="resync", data="{}")] if overflow else frames
        await self.send({"type": "http.response.body", "body": b"".join(chunks),
                         "more_body": True})
        self.pump = asyncio.get_running_loop().create_task(self._pump())

    async def _pump(self):
        queue = self.listener.queue
        while True:
            chunks = [await queue.get()]  # keepalives too come from the hub
            while not queue.empty():
                chunks.append(queue.get_nowait())
            await self.send({"type": "http.response.body", "body": b"".join(chunks),
                             "more_body": True})

    async def _refuse(self, status: int, text: str):
        await self.send({"type": "http.response.start", "status": status,
                         "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
        await self.send({"type": "http.response.body", "body": text.encode()})

    async def http_disconnect(self, message):
        if self.pump is not None:
            self.pump.cancel()
        if self.hub is not None and self.listener is not None:
            self.hub.leave(self.listener)
        raise StopConsumer()


def stream_elsewhere(request):
    """``/stream/`` reaching the WSGI pages (gunicorn without the ASGI process beside it, or
    the test server): a short 404 that renders no template, so it never takes the flash
    messages meant for the page the member is opening (the page script tries again later,
    and every page works without the stream)."""
    from django.http import HttpResponse

    response = HttpResponse("The live stream is served by the ASGI process.\n", status=404,
                            content_type="text/plain; charset=utf-8")
    return response
