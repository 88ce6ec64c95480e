"""The ASGI application (pages and the live stream) on a loopback port, in this process.

pytest-django's live server speaks WSGI, which cannot hold a stream open; this serves
``config.asgi`` with uvicorn on a thread of the test process (the same settings, the same
test database and cache prefix), and can be stopped and started again on the same port,
as a crashed stream server would be restarted."""
import socket
import threading
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AsgiServer:
    def __init__(self):
        self.port = free_port()
        self.server = None
        self.thread = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        import uvicorn
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

        from config.asgi import application

        config = uvicorn.Config(ASGIStaticFilesHandler(application), host="127.0.0.1",
                                port=self.port, log_level="warning", lifespan="off",
                                loop="asyncio", timeout_graceful_shutdown=1)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the ASGI server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        """Gone at once, open streams cut, as when the process is killed."""
        from asgiref.sync import SyncToAsync
        from django.db import connections

        self.server.should_exit = True
        self.server.force_exit = True
        self.thread.join(10)
        # The views ran on asgiref's one thread for synchronous code: its database
        # connection is closed, so the test database can be dropped (or flushed) after.
        SyncToAsync.single_thread_executor.submit(connections.close_all).result(10)
