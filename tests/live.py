"""Helpers for tests of the live stream: open ``/stream/`` on the real ASGI application
(``config.asgi``) with a reader's session cookie, and read its server-sent events."""
import asyncio
import contextlib

from asgiref.testing import ApplicationCommunicator


def session_cookie(client, user) -> str | None:
    """A session of ``user``'s own (a client of its own: signing one client in as another
    user would end the first one's session)."""
    from django.test import Client

    if user is None:
        return None
    own = Client()
    own.force_login(user)
    return own.cookies["sessionid"].value


def scope(*, topics: str, cookie: str | None = None, last: int | None = None,
          method: str = "GET") -> dict:
    headers = [(b"host", b"testserver")]
    if cookie:
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    if last is not None:
        headers.append((b"last-event-id", str(last).encode()))
    return {"type": "http", "http_version": "1.1", "method": method, "path": "/stream/",
            "raw_path": b"/stream/", "root_path": "", "scheme": "http",
            "query_string": f"topics={topics}".encode(), "headers": headers,
            "server": ("testserver", 80), "client": ("127.0.0.1", 40000)}


class Stream:
    """One open stream: ``status``, then ``events()`` as (event, id, data) tuples."""

    def __init__(self, communicator, status, body=b""):
        self.communicator, self.status, self.buffer = communicator, status, body.decode()
        self.frames: list[tuple[str, str, str]] = []

    @classmethod
    async def open(cls, **kwargs) -> "Stream":
        from config.asgi import application

        communicator = ApplicationCommunicator(application, scope(**kwargs))
        await communicator.send_input({"type": "http.request", "body": b"",
                                       "more_body": False})
        start = await communicator.receive_output(10)
        stream = cls(communicator, start["status"])
        if stream.status != 200:
            body = await communicator.receive_output(5)
            stream.buffer = body.get("body", b"").decode()
        return stream

    def _parse(self):
        while "\n\n" in self.buffer:
            raw, self.buffer = self.buffer.split("\n\n", 1)
            fields = {}
            for line in raw.splitlines():
                name, _, value = line.partition(": ")
                if name and not line.startswith(":"):
                    fields[name] = value
            if "event" in fields:
                self.frames.append((fields["event"], fields.get("id", ""),
                                    fields.get("data", "")))

    async def until(self, predicate, timeout: float = 8.0) -> list:
        """Read until a frame satisfies ``predicate``; returns every frame read so far."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not any(predicate(f) for f in self.frames):
            left = deadline - loop.time()
            if left <= 0:
                raise AssertionError(f"no such event within {timeout}s; got {self.frames}")
            try:  # not receive_output: its timeout would cancel the stream
                message = await asyncio.wait_for(self.communicator.output_queue.get(), left)
            except TimeoutError:
                continue
            self.buffer += message.get("body", b"").decode()
            self._parse()
        return self.frames

    async def quiet_for(self, seconds: float) -> list:
        """Every frame that arrives within ``seconds``."""
        with contextlib.suppress(AssertionError):
            await self.until(lambda f: False, timeout=seconds)
        return self.frames

    async def close(self):
        await self.communicator.send_input({"type": "http.disconnect"})
        await self.communicator.wait(5)


def run(scenario, *args):
    """Run ``scenario(*args)`` (a coroutine function) on an event loop of its own thread:
    the browser tests' Playwright keeps a loop running on the main thread."""
    import threading

    outcome = {}

    def target():
        loop = asyncio.new_event_loop()
        try:
            outcome["value"] = loop.run_until_complete(scenario(*args))
        except BaseException as error:  # noqa: BLE001  (raised again in the caller)
            outcome["error"] = error
        finally:  # the stream's hub lives on this loop: stop it, without waiting long
            tasks = asyncio.all_tasks(loop)
            for task in tasks:
                task.cancel()
            if tasks:
                loop.run_until_complete(asyncio.wait(tasks, timeout=2))
            loop.close()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(120)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
