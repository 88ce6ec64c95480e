"""Real Celery worker processes (and, for fault tests, their own Redis) for end-to-end tests."""
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from bench.serving import free_port
from bench.serving import wait_until as wait_for

ROOT = Path(__file__).resolve().parents[2]


class RedisServer:
    """A throwaway ``redis-server`` on a free loopback port (never the machine's 6379)."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.dir = tmp_path
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: _pings(self.port), what="redis-server to accept connections")
        return self

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)


def _pings(port) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False



class Worker:
    """``celery -A config worker`` in a subprocess, on the test database."""

    def __init__(self, broker_url: str, log_path: Path, concurrency: int = 1):
        self.broker_url = broker_url
        self.log_path = log_path
        self.concurrency = concurrency
        self.process = None

    def start(self):
        db = connection.settings_dict
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": self.broker_url,
            "TASKS_EAGER": "0",
        }
        celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
        self.log = open(self.log_path, "ab")  # noqa: SIM115 (kept open while it runs)
        self.process = subprocess.Popen(
            [celery, "-A", "config", "worker", "-Q", "events,notifications,routing,celery",
             "-c", str(self.concurrency), "-l", "INFO", "--without-gossip", "--without-mingle",
             "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        wait_for(lambda: b"ready." in self.log_path.read_bytes(), timeout=60,
                 what="the Celery worker to be ready")
        return self

    def children(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True,
                             text=True, check=False).stdout
        return [int(pid) for pid in out.split()]

    def stop(self, sig=signal.SIGTERM):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if getattr(self, "log", None):
            self.log.close()


@pytest.fixture
def use_broker(settings):
    """Send tasks to a real broker from this test process (instead of running them eagerly)."""
    from config.celery import app

    def switch(url: str):
        settings.CELERY_TASK_ALWAYS_EAGER = False
        app.conf.task_always_eager = False
        app.conf.broker_url = url
        app.conf.broker_transport_options = {"visibility_timeout": 3600}
        # Connection pools are made on first use from the broker URL: start fresh ones.
        app._pool = None
        app.amqp._producer_pool = None

    yield switch
    from config.celery import app as celery_app

    celery_app.conf.task_always_eager = True
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def worker_factory(tmp_path):
    started = []

    def make(broker_url: str, concurrency: int = 1) -> Worker:
        worker = Worker(broker_url, tmp_path / f"worker{len(started)}.log", concurrency)
        started.append(worker)
        return worker.start()

    yield make
    for worker in started:
        worker.stop(signal.SIGKILL)


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path).start()
    yield server
    server.kill()
