"""Outages under load, against gunicorn: PostgreSQL restarts, Redis stops.

The test builds its own PostgreSQL cluster (initdb in a temporary folder, a free loopback
port, run as the postgres user) and its own Redis, migrates and seeds a small community,
and serves it with gunicorn under production settings. Members read and reply from several
threads the whole time. While PostgreSQL is down every answer is a clean 503 page (with
Retry-After), never a 500 or a traceback; once it is back the site answers again by itself
(connections are health-checked), and every reply that was accepted is stored exactly once.
With Redis stopped, pages still render and replies still save.
"""
import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from bench.serving import free_port, gunicorn
from bench.soak import PASSWORD, Member, build, seed

pytestmark = pytest.mark.worker

PG_BIN = Path(max(glob.glob("/usr/lib/postgresql/*/bin"), default="/usr/lib/postgresql/15/bin"))


def _as_postgres(*command, **kwargs):
    """Run a PostgreSQL server command as the postgres user (it refuses to run as root)."""
    if os.geteuid() == 0:
        command = ("runuser", "-u", "postgres", "--", *command)
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


class PostgresServer:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="gravity-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        _as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust",
                     "-U", "postgres", "--no-sync")

    def url(self, name="gravity_outage") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self):
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off")
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options,
                     "-l", str(self.dir / "log"), "-w", "start")

    def stop(self):
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def postgres_server():
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"{PG_BIN}/initdb not found")
    server = PostgresServer()
    server.start()
    yield server
    server.remove()


def _env(database_url: str, redis_url: str) -> dict:
    return {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
            "DEBUG": "0", "SECRET_KEY": "outage-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0", "TASKS_EAGER": "1",
            "CACHE_PREFIX": "outage", "DJANGO_SETTINGS_MODULE": "config.settings"}


def _load(member: Member, threads: list, stop: threading.Event, accepted: list, prefix: str):
    n = 0
    while not stop.is_set():
        pk, url = threads[n % len(threads)]
        member.get(url)
        member.get("/")
        body = f"{prefix} reply {n}"
        status, _, _ = member.post(f"/t/{pk}/reply/", {"body": body, "nonce": body})
        if status == 302:
            accepted.append(body)
        n += 1
        time.sleep(0.05)


def _count_posts(database_url: str, like: str) -> dict[str, int]:
    out = subprocess.run(
        ["psql", database_url, "-Atc",
         f"SELECT body, count(*) FROM community_post WHERE body LIKE '{like}%' "  # noqa: S608
         "GROUP BY body"],
        check=True, capture_output=True, text=True).stdout
    return {line.rsplit("|", 1)[0]: int(line.rsplit("|", 1)[1])
            for line in out.splitlines() if line}


def test_database_restart_and_redis_stop_under_load(postgres_server, redis_server, tmp_path):
    database_url = postgres_server.url()
    subprocess.run(["psql", postgres_server.url("postgres"), "-qc",
                    "CREATE DATABASE gravity_outage"], check=True, capture_output=True)
    env = _env(database_url, redis_server.url)
    build(env)
    threads = [(pk, url) for pk, url, _ in seed(env, 4)]
    port = free_port()
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 (closed below)
    server = gunicorn("config.wsgi", port, workers=2, env=env, log=log, ready="/healthz",
                      extra=("--timeout", "30"))
    base = f"http://127.0.0.1:{port}"
    try:
        members = [Member([base], f"soak{n}@example.com", PASSWORD) for n in range(3)]

        # 1. PostgreSQL restarts while three members read and reply.
        stop, accepted = threading.Event(), []
        loads = [threading.Thread(target=_load, args=(m, threads, stop, accepted, f"pg{i}"))
                 for i, m in enumerate(members)]
        for t in loads:
            t.start()
        time.sleep(2)
        postgres_server.stop()
        down_at = time.monotonic()
        probe = Member.__new__(Member)  # the first member's cookies, a request of its own
        probe.__dict__.update(members[0].__dict__, answers=[])
        status, _, headers = probe.get("/")
        assert status == 503 and headers.get("Retry-After") == "5"
        time.sleep(3)
        restart_at = time.monotonic()
        postgres_server.start()
        up_at = time.monotonic()
        time.sleep(6)
        stop.set()
        for t in loads:
            t.join(30)

        answers = [a for m in members for a in m.answers]
        statuses = {status for _, _, status, _ in answers}
        assert statuses <= {200, 302, 503}, (
            sorted(statuses), [(what, status) for _, what, status, _ in answers
                               if status not in (200, 302, 503)][:5],
            [line for line in (tmp_path / "gunicorn.log").read_text().splitlines()
             if "Error" in line or "error" in line][-15:])
        during = [a for a in answers if down_at < a[0] < restart_at]
        assert during and all(status == 503 for _, _, status, _ in during), (
            {(what, status) for _, what, status, _ in during})
        assert all("Back in a moment" in body for _, _, _, body in during)
        assert not any("Traceback" in body for _, _, _, body in answers)
        # Back by itself: the last seconds are all answered.
        recent = [a for a in answers if a[0] > up_at + 3]
        assert recent and all(status in (200, 302) for _, _, status, _ in recent), (
            sorted((round(at - up_at, 2), what, status) for at, what, status, _ in answers
                   if at > up_at - 1))
        # Every accepted reply is stored exactly once. A reply whose answer was lost to the
        # outage (committed just before the connection went) may be stored too: the 503
        # page tells its writer to look before sending again.
        stored = _count_posts(database_url, "pg")
        assert set(accepted) <= set(stored) and set(stored.values()) == {1}
        in_flight = set(stored) - set(accepted)
        assert len(in_flight) <= len(members), in_flight  # at most one each, mid-request

        # 2. Redis stops: pages render from the database, replies still save.
        redis_server.kill()
        for n, member in enumerate(members):
            assert member.get("/")[0] == 200
            assert member.get(threads[1][1])[0] == 200
            body = f"noredis reply {n}"
            assert member.post(f"/t/{threads[1][0]}/reply/",
                               {"body": body, "nonce": body})[0] == 302
        anonymous = urllib.request.urlopen(base + threads[2][1], timeout=15)  # noqa: S310
        assert anonymous.status == 200
        assert _count_posts(database_url, "noredis") == {
            f"noredis reply {n}": 1 for n in range(3)}
    finally:
        server.terminate()
        server.wait(15)
        log.close()


