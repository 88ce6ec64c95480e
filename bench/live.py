"""Live updates under load (``make bench-live``; bench/README.md, "Live updates").

``LIVE_PROCESSES`` uvicorn processes (one per core by default, as production runs them)
serve the stream (``config.asgi``, production settings, uvloop and httptools); a client
process opens ``LIVE_CONNECTIONS`` (5,000) server-sent event streams on one thread; this
process posts replies through the service (the engine in-process, as a worker would run it,
waking the stream after commit) and the client notes when each stream heard of each reply.

With wrk installed (``LIVE_PAGE_LOAD=0`` turns it off) the page load of ``make bench`` runs
beside it: gunicorn (``BENCH_WORKERS``, 4) serves the bare view, home, the thread's space
and the watched thread, each loaded by wrk for ``LIVE_PAGE_SECONDS`` (10) while a reply is
posted every 1.5 s, in ``LIVE_ROUNDS`` (4) rounds of two halves: no stream open (the stream
processes up, one stream each), then the 5,000 streams open; the replies of the second
halves are the ones measured. Without wrk, ``LIVE_REPLIES`` replies are posted alone.

Reported: the share of subscribers reached within one second of the write starting, latency
percentiles, the cores the stream processes, the client and the page workers kept busy, the
stream processes' memory per connection (resident set before and after the connections,
divided), the writer's cost of one publish (the engine's post-commit ``PUBLISH``, timed over
many calls), and each page's share of the bare view without and with the live layer.

The database is a small one of its own (``LIVE_DATABASE_URL``, default gravity_livebench,
made anew each run): the stream reads only the events above its floor, so the size of the
community does not enter the figures.
"""
import asyncio
import contextlib
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.serving import free_port, stop_all, wait_until

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("LIVE_DATABASE_URL",
                              "postgres://postgres@127.0.0.1:5432/gravity_livebench")
REDIS_URL = os.environ.get("LIVE_REDIS_URL", "redis://127.0.0.1:6379/7")
CONNECTIONS = int(os.environ.get("LIVE_CONNECTIONS", "5000"))
REPLIES = int(os.environ.get("LIVE_REPLIES", "10"))
# Stream processes, one per core as README "Live updates" runs them in production (each its
# own port behind nginx); the client spreads its streams over them in turn.
PROCESSES = int(os.environ.get("LIVE_PROCESSES", str(os.cpu_count() or 1)))
PUBLISHES = int(os.environ.get("LIVE_PUBLISHES", "2000"))
REPLY_EVERY = 1.5
# The page load of ``make bench`` beside the streams (wrk, gunicorn with its 4 workers):
# the bare view, home and the watched thread, first without the live layer, then with it.
PAGE_LOAD = os.environ.get("LIVE_PAGE_LOAD", "1") != "0"
PAGE_SECONDS = int(os.environ.get("LIVE_PAGE_SECONDS", "10"))
WEB_WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
ROUNDS = int(os.environ.get("LIVE_ROUNDS", "4"))
# The stream processes' niceness, as production runs them (README "Live updates": a little
# CPU per message that must be spent at once, beside page workers that can wait a moment).
NICE = int(os.environ.get("LIVE_NICE", "-5"))
RESULTS = ROOT / "bench" / "results"


def _env() -> dict:
    return {**os.environ, "DATABASE_URL": DATABASE_URL, "REDIS_URL": REDIS_URL,
            "DEBUG": "0", "SECRET_KEY": "live-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0", "TASKS_EAGER": "1",
            "CACHE_PREFIX": "livebench", "DJANGO_SETTINGS_MODULE": "config.settings",
            "POSTING_RATE": "0"}


SETUP = """
from community.models import CommunitySettings, Space, User
from community.services import conversations
s = CommunitySettings.get(); s.min_fill_seconds = 0
s.member_posts_per_minute = s.member_posts_per_hour = 0
s.save()
space = Space.objects.create(name="Live", slug="live")
author = User.objects.create_user("asker", "asker@example.com", "a long bench passphrase 9",
                                  trust_level=User.Trust.MEMBER)
t = conversations.thread_create(author=author, space=space, kind="discussion",
                                title="A thread everyone has open", body="Go on.")
print("THREAD", t.pk)
"""


def _prepare() -> int:
    server, name = DATABASE_URL.rsplit("/", 1)
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", f"{server}/postgres", "-qAtc", sql],  # nosec B607
                       check=True, capture_output=True)
    for command in (("migrate", "--noinput", "-v0"), ("collectstatic", "--noinput", "-v0")):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=_env(),
                       check=True)
    made = subprocess.run([sys.executable, "manage.py", "shell", "-c", SETUP], cwd=ROOT,
                          env=_env(), check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^THREAD (\d+)$", made, re.M).group(1))


def _rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))


def _cpu_s(pids) -> float:
    """CPU seconds (user and system) the processes ``pids`` have used so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    """A gunicorn master's workers."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _raise_open_files() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, CONNECTIONS * 2 + 256)),
                                                hard))


# The client: N streams on one event loop ---------------------------------------------

class _Stream(asyncio.Protocol):
    """One stream, read as bytes arrive (a protocol, not a stream reader: the client must
    cost less than the server it measures)."""

    def __init__(self, topics: str, heard: dict, hello):
        self.topics, self.heard, self.hello = topics, heard, hello
        self.said_hello = False

    def connection_made(self, transport):
        transport.write(f"GET /stream/?topics={self.topics} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        f"Accept: text/event-stream\r\n\r\n".encode())

    def data_received(self, data: bytes):
        now = time.time()
        if not self.said_hello and b"event: hello" in data:
            self.said_hello = True
            self.hello()
        at = data.find(b'"p":')
        while at != -1:
            end = data.find(b",", at)
            self.heard.setdefault(int(data[at + 4:end]), []).append(now)
            at = data.find(b'"p":', end)


async def _client(ports: list[int], thread: int, n: int, seconds: float, out: str) -> None:
    heard: dict[int, list[float]] = {}
    ready = asyncio.Event()
    counter = [0]

    def hello():
        counter[0] += 1
        if counter[0] == n:
            ready.set()

    loop = asyncio.get_running_loop()
    failed = 0
    for start in range(0, n, 250):  # in waves: the listen backlog is finite
        made = await asyncio.gather(*(
            loop.create_connection(lambda: _Stream(f"thread:{thread}", heard, hello),
                                   "127.0.0.1", ports[(start + i) % len(ports)])
            for i in range(min(250, n - start))), return_exceptions=True)
        failed += sum(isinstance(m, BaseException) for m in made)
        await asyncio.sleep(0.1)
    await asyncio.wait_for(ready.wait(), 120)
    print("READY", flush=True)
    await asyncio.sleep(seconds)
    Path(out).write_text(json.dumps({"heard": heard, "failed": failed}))
    print("DONE", flush=True)
    os._exit(0)  # noqa: SLF001  (thousands of open sockets: no orderly close needed)


def client_main() -> None:
    _raise_open_files()
    port, thread, n, seconds, out = sys.argv[2:7]
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(_client([int(p) for p in port.split(",")], int(thread), int(n),
                        float(seconds), out))


# The run ----------------------------------------------------------------------------

def _priority() -> None:
    """In a stream process before it starts: ``LIVE_NICE`` (README "Live updates"); left as
    it is where the bench may not raise a priority (not root)."""
    with contextlib.suppress(OSError):
        os.nice(NICE)


def _uvicorns(env: dict) -> tuple[list[int], list[subprocess.Popen]]:
    ports, servers = [], []
    for _ in range(PROCESSES):
        port = free_port()
        ports.append(port)
        servers.append(subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host",
             "127.0.0.1", "--port", str(port), "--loop", "uvloop", "--http", "httptools",
             "--lifespan", "off", "--no-access-log", "--log-level", "warning",
             "--backlog", "4096", "--timeout-graceful-shutdown", "2"],
            cwd=ROOT, env=env, preexec_fn=_priority if NICE else None))
    return ports, servers


class _Writer:
    """Posts replies through the service, one every ``REPLY_EVERY`` seconds, noting when
    each write started and when it was committed and published."""

    def __init__(self, thread: int):
        from community.models import Thread, User

        self.author = User.objects.create_user("writer", "writer@example.com", "x" * 20,
                                               trust_level=User.Trust.MEMBER)
        self.target = Thread.objects.get(pk=thread)
        self.started: dict[int, float] = {}
        self.committed: dict[int, float] = {}
        self.write_ms: list[float] = []

    def reply(self) -> int:
        from community.services import conversations

        t0 = time.time()
        post = conversations.post_create(author=self.author, thread=self.target,
                                         body=f"Reply {len(self.write_ms)} to everyone.")
        self.write_ms.append((time.time() - t0) * 1000)
        self.started[post.pk] = t0
        self.committed[post.pk] = time.time()  # applied by the engine and published
        return post.pk

    def replies_while(self, running) -> list[int]:
        made = []
        while running():
            made.append(self.reply())
            time.sleep(REPLY_EVERY)
        return made


def _pages_under_load(writer: _Writer, urls: dict[str, str]) -> tuple[dict, list[int]]:
    """wrk on each page in turn for ``PAGE_SECONDS`` while the writer replies to the
    thread (so its page goes stale at the same pace with and without the live layer)."""
    from bench.run import CONNECTIONS as WRK_CONNECTIONS
    from bench.run import wrk_figures

    figures, replies = {}, []
    for name, url in urls.items():
        command = ["wrk", "-t2", f"-c{WRK_CONNECTIONS}", f"-d{PAGE_SECONDS}s", "--latency", url]
        wrk = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # nosec B607
        replies += writer.replies_while(lambda wrk=wrk: wrk.poll() is None)
        figures[name] = wrk_figures(wrk.stdout.read())
    ceiling = figures["bare view"]["rps"]
    for row in figures.values():
        row["share"] = round(row["rps"] / ceiling, 3) if ceiling else None
    return figures, replies


def _open_streams(ports, thread, seconds, out, env) -> subprocess.Popen:
    client = subprocess.Popen(
        [sys.executable, "-m", "bench.live", "client", ",".join(map(str, ports)), str(thread),
         str(CONNECTIONS), str(seconds), str(out)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    if client.stdout.readline().strip() != "READY":
        raise RuntimeError("the client did not open its streams")
    return client


def _heard(client, out) -> dict:
    if client.stdout.readline().strip() != "DONE":
        raise RuntimeError("the client did not finish")
    client.wait(30)
    result = json.loads(out.read_text())
    out.unlink(missing_ok=True)
    return result


def _mean_shares(rounds: list[dict]) -> dict:
    """Each page's mean req/s over the rounds, and its share of the bare view's mean."""
    mean = {name: statistics.mean(r[name]["rps"] for r in rounds) for name in rounds[0]}
    return {name: {"rps": round(rps, 1), "share": round(rps / mean["bare view"], 3)}
            for name, rps in mean.items()}


def main() -> None:
    _raise_open_files()
    thread = _prepare()
    env = _env()
    os.environ.update(env)
    import django

    django.setup()
    import logging

    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)  # a line per task
    import socket
    import urllib.request

    from bench.serving import gunicorn
    from community.engine.live import publish
    from community.models import Thread

    page_load = PAGE_LOAD and bool(shutil.which("wrk"))
    web, servers = [], []
    pages, without, with_live, cpu, measured, heard, failed = {}, [], [], [], [], {}, 0
    out = RESULTS / "live-client.json"
    RESULTS.mkdir(exist_ok=True)
    try:
        writer = _Writer(thread)
        if page_load:
            # The site and the bare view on gunicorn, as ``make bench`` serves them.
            site, bare = free_port(), free_port()
            web.append(gunicorn("config.wsgi", site, workers=WEB_WORKERS, env=env,
                                extra=("--log-level", "warning")))
            web.append(gunicorn("bench.bare:application", bare, workers=WEB_WORKERS,
                                env={**env, "DJANGO_SETTINGS_MODULE": "bench.bare"},
                                extra=("--log-level", "warning")))
            watched = Thread.objects.select_related("space").get(pk=thread)
            pages = {"bare view": f"http://127.0.0.1:{bare}/",
                     "home": f"http://127.0.0.1:{site}/",
                     "space": f"http://127.0.0.1:{site}{watched.space.get_absolute_url()}",
                     "thread": f"http://127.0.0.1:{site}{watched.get_absolute_url()}"}
        ports, servers = _uvicorns(env)

        def listening(port):
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", port)) == 0

        # One stream first on each, so the hubs and their Redis subscriptions exist
        # before "before".
        warm = []
        for port in ports:
            wait_until(lambda port=port: listening(port), timeout=30, what="uvicorn")
            warm.append(urllib.request.urlopen(  # noqa: S310  # nosec B310
                f"http://127.0.0.1:{port}/stream/?topics=thread:{thread}", timeout=10))
            warm[-1].readline()
        time.sleep(1)
        before = sum(_rss_kib(server.pid) for server in servers)
        seconds = (len(pages) * (PAGE_SECONDS + 2) if page_load else REPLIES * REPLY_EVERY) + 8
        groups = {"streams": [server.pid for server in servers],
                  "pages": [pid for server in web for pid in _children(server.pid)]}
        # Rounds without and with the streams open, in turn: the box's own speed drifts
        # over minutes, and alternating spreads that drift over both.
        for _ in range(ROUNDS if page_load else 1):
            if page_load:
                without.append(_pages_under_load(writer, pages)[0])
            client = _open_streams(ports, thread, seconds, out, env)
            time.sleep(1)
            after = sum(_rss_kib(server.pid) for server in servers)
            if page_load:
                pids = {**groups, "client": [client.pid]}
                spent = {name: _cpu_s(p) for name, p in pids.items()}
                wall = time.monotonic()
                loaded, replies = _pages_under_load(writer, pages)
                wall = time.monotonic() - wall
                with_live.append(loaded)
                cpu.append({name: round((_cpu_s(p) - spent[name]) / wall, 3)
                            for name, p in pids.items()})
            else:
                replies = []
                for _ in range(REPLIES):
                    replies.append(writer.reply())
                    time.sleep(REPLY_EVERY)
            result = _heard(client, out)
            measured += replies
            failed += result["failed"]
            for pk in replies:
                heard[pk] = result["heard"].get(str(pk), [])

        # The writer's cost of one publish: the engine's post-commit wake, alone, back to
        # back; its wall time (a Redis round trip, which on this box waits whenever a woken
        # stream process takes the core) and its own CPU.
        costs, cpu_costs = [], []
        for n in range(PUBLISHES):
            t0, c0 = time.perf_counter(), time.process_time()
            publish.announce(n)
            costs.append((time.perf_counter() - t0) * 1e6)
            cpu_costs.append((time.process_time() - c0) * 1e6)
        costs.sort()
    finally:
        stop_all(servers + web)

    latencies, after_publish, within, total = [], [], 0, 0
    for pk in measured:
        delays = [t - writer.started[pk] for t in heard[pk]]
        latencies += delays
        after_publish += [t - writer.committed[pk] for t in heard[pk]]
        within += sum(1 for d in delays if d <= 1.0)
        total += CONNECTIONS
    latencies.sort()
    after_publish.sort()

    def pct(values, p):
        return values[min(len(values) - 1, int(len(values) * p))] if values else None

    figures = {
        "connections": CONNECTIONS, "stream_processes": PROCESSES, "replies": len(measured),
        "failed_streams": failed,
        "reached_within_1s": round(within / total, 4) if total else 0,
        "latency_s": {"p50": pct(latencies, 0.5), "p99": pct(latencies, 0.99),
                      "max": latencies[-1] if latencies else None},
        "after_publish_s": {"p50": pct(after_publish, 0.5), "p99": pct(after_publish, 0.99)},
        "write_ms_median": statistics.median(writer.write_ms),
        "rss_kib": {"before": before, "after": after},
        "kib_per_connection": round((after - before) / CONNECTIONS, 2),
        "publish_us": {"median": round(statistics.median(costs), 1),
                       "p99": round(pct(costs, 0.99), 1), "calls": PUBLISHES,
                       "cpu_mean": round(statistics.mean(cpu_costs), 1)},
    }
    if page_load:
        mean_without, mean_with = _mean_shares(without), _mean_shares(with_live)
        figures["pages"] = {
            "seconds": PAGE_SECONDS, "web_workers": WEB_WORKERS, "rounds": ROUNDS,
            "without_live": mean_without, "with_live": mean_with,
            "share_with_over_without": {
                name: round(mean_with[name]["share"] / mean_without[name]["share"], 3)
                for name in pages if name != "bare view"},
            # Cores busy, on average, while the pages were loaded with the streams open.
            "cores_busy_with_live": {name: round(statistics.mean(c[name] for c in cpu), 3)
                                     for name in cpu[0]},
            "by_round": {"without_live": without, "with_live": with_live},
        }
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for name in ("live.json", f"live-{stamp}.json"):
        (RESULTS / name).write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps({k: v for k, v in figures.items() if k != "pages"}, indent=2))
    if page_load:
        print(json.dumps({k: v for k, v in figures["pages"].items() if k != "by_round"},
                         indent=2))


if __name__ == "__main__":
    if sys.argv[1:2] == ["client"]:
        client_main()
    else:
        main()
