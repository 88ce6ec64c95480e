"""``make soak``: many members reading and writing for minutes; nothing lost, nothing twice.

Two gunicorn instances on two loopback ports share the load (every member alternates
between them, so a session made by one is used by the other: the web processes share no
state of their own), two Celery workers apply the events, all on one PostgreSQL and one
Redis. Members read the home feed, threads and search, reply, like and follow. Afterwards:
no answer was 500 or above, every reply that was accepted is stored exactly once, and the
events pending for the workers drain to zero. ``SOAK_SECONDS`` (default 300) bounds the
load; CI runs the same code for 30 seconds (``tests/workers/test_soak.py``). The figures
go to stdout and ``bench/results/soak.json``.
"""
import http.cookiejar
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench.serving import free_port, gunicorn, stop_all, wait_until

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("SOAK_DATABASE_URL",
                              "postgres://postgres@127.0.0.1:5432/gravity_soak")
REDIS_URL = os.environ.get("SOAK_REDIS_URL", "redis://127.0.0.1:6379/5")
PASSWORD = "a soak test's long passphrase 3"  # nosec B105
MEMBERS = int(os.environ.get("SOAK_MEMBERS", "24"))


class Member:
    """A member's browser: its cookies (shared by both ports, as a browser's are by host),
    the CSRF token, and a record of every answer (when, what, status, body)."""

    def __init__(self, bases: list[str], email: str, password: str):
        self.bases = bases
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)
        self.answers: list[tuple[float, str, int, str]] = []
        self.turn = 0
        self.get("/accounts/login/")
        self.post("/accounts/login/", {"login": email, "password": password})
        if not any(c.name == "sessionid" for c in self.jar):
            raise RuntimeError(f"{email} could not sign in")

    def _base(self) -> str:
        self.turn += 1
        return self.bases[self.turn % len(self.bases)]

    def _token(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def _send(self, request) -> tuple[int, str, dict]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), dict(error.headers)
        except OSError as error:  # no answer at all
            return 0, str(error), {}

    def get(self, path: str):
        base = self._base()
        status, body, headers = self._send(urllib.request.Request(base + path))
        self.answers.append((time.monotonic(), f"GET {base[-5:]} {path}", status, body))
        return status, body, headers

    def post(self, path: str, data: dict):
        base = self._base()
        data = {**data, "csrfmiddlewaretoken": self._token()}
        request = urllib.request.Request(
            base + path, data=urllib.parse.urlencode(data).encode(),
            headers={"Referer": base + path, "X-CSRFToken": self._token()})
        status, body, headers = self._send(request)
        self.answers.append((time.monotonic(), f"POST {base[-5:]} {path}", status, body))
        return status, body, headers


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _env() -> dict:
    return {**os.environ, "DATABASE_URL": DATABASE_URL, "REDIS_URL": REDIS_URL,
            "DEBUG": "0", "SECRET_KEY": "soak-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0", "TASKS_EAGER": "0",
            "CACHE_PREFIX": "soak", "DJANGO_SETTINGS_MODULE": "config.settings"}


SETUP = """
from allauth.account.models import EmailAddress
from community.models import CommunitySettings, Space, User
from community.services import conversations
s = CommunitySettings.get(); s.min_fill_seconds = 0
s.member_posts_per_minute = s.member_posts_per_hour = 0  # load, not a person's pace
s.save()
spaces = [Space.objects.create(name=f"Soak {n}", slug=f"soak-{n}") for n in range(3)]
people = []
for n in range(%(members)d):
    u = User.objects.create_user(f"soak{n}", f"soak{n}@example.com", %(password)r,
                                 trust_level=User.Trust.MEMBER)
    EmailAddress.objects.create(user=u, email=u.email, verified=True, primary=True)
    people.append(u)
for n in range(12):
    t = conversations.thread_create(author=people[n %% len(people)], space=spaces[n %% 3],
                                    kind="question" if n %% 2 else "discussion",
                                    title=f"Soak thread {n} about yeast", body="Go on.")
    print("THREAD", t.pk, t.get_absolute_url(), t.opening_post_id)
"""


def _psql(sql: str, url: str | None = None) -> str:
    return subprocess.run(["psql", url or DATABASE_URL, "-Atc", sql], check=True,  # nosec B607
                          capture_output=True,
                          text=True).stdout.strip()


def build(env: dict) -> None:
    """Migrate the database and collect the static files, as a deploy does (production
    settings serve hashed static names and refuse to render without the manifest)."""
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)


def seed(env: dict, members: int) -> list[tuple[int, str, int]]:
    """Members ``soak<n>@example.com`` (password ``PASSWORD``), three spaces and twelve
    threads, made through the services; returns (id, address, opening post id) per thread."""
    made = subprocess.run([sys.executable, "manage.py", "shell", "-c",
                           SETUP % {"members": members, "password": PASSWORD}],
                          cwd=ROOT, env={**env, "TASKS_EAGER": "1"}, check=True,
                          capture_output=True, text=True).stdout
    return [(int(a), b, int(c)) for a, b, c in re.findall(r"^THREAD (\d+) (\S+) (\d+)$",
                                                             made, re.M)]


def _prepare() -> list[tuple[int, str, int]]:
    server, name = DATABASE_URL.rsplit("/", 1)
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        _psql(sql, f"{server}/postgres")
    subprocess.run(["redis-cli", "-u", REDIS_URL, "FLUSHDB"], check=True,  # nosec B607
                   capture_output=True)
    build(_env())
    return seed(_env(), MEMBERS)


def _member_load(member: Member, threads, stop: threading.Event, accepted: list,
                 seed: int):
    rng = random.Random(seed)
    n = 0
    while not stop.is_set():
        pk, url, opening = rng.choice(threads)
        action = rng.random()
        if action < 0.35:
            member.get("/")
        elif action < 0.65:
            member.get(url)
        elif action < 0.75:
            member.get("/search/?q=yeast")
        elif action < 0.93:
            body = f"soak {seed}-{n}: another thought on it"
            status, _, _ = member.post(f"/t/{pk}/reply/", {"body": body, "nonce": body})
            if status == 302:
                accepted.append(body)
        elif action < 0.97:
            member.post(f"/p/{opening}/vote/like/", {})
        else:
            member.post(f"/t/{pk}/follow/", {"follow": "1"})
        n += 1


def _percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(len(values) * share))] * 1000, 1)


def run(seconds: int, *, log_dir: Path) -> dict:
    threads = _prepare()
    env = _env()
    ports = [free_port(), free_port()]
    processes = []
    logs = []
    try:
        for port in ports:
            log = open(log_dir / f"gunicorn-{port}.log", "w")  # noqa: SIM115 (closed below)
            logs.append(log)
            processes.append(gunicorn("config.wsgi", port, workers=2, env=env, log=log,
                                      ready="/healthz", extra=("--timeout", "60")))
        for n in range(2):
            log = open(log_dir / f"worker-{n}.log", "w")  # noqa: SIM115 (closed below)
            logs.append(log)
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q",
                 "events,notifications,routing,celery", "-c", "1", "-n", f"soak{n}@%h",
                 "-l", "WARNING", "--without-gossip", "--without-mingle"],
                cwd=ROOT, env=env, stdout=log, stderr=log))
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        members = [Member(bases, f"soak{n}@example.com", PASSWORD) for n in range(MEMBERS)]
        for member in members:
            member.answers.clear()
        stop, accepted = threading.Event(), []
        workers = [threading.Thread(target=_member_load,
                                    args=(m, threads, stop, accepted, n))
                   for n, m in enumerate(members)]
        started = time.monotonic()
        for w in workers:
            w.start()
        time.sleep(seconds)
        stop.set()
        for w in workers:
            w.join(60)
        elapsed = time.monotonic() - started
        drained = wait_until(lambda: _psql(
            "SELECT count(*) FROM community_engagementevent WHERE processed_at IS NULL") == "0",
            timeout=120, what="the workers to apply every event")
        answers = [a for m in members for a in m.answers]
        stored = dict(line.split("|") for line in _psql(
            "SELECT body, count(*) FROM community_post WHERE body LIKE 'soak %' "
            "GROUP BY body").splitlines() if line)
    finally:
        stop_all(processes, timeout=20)
        for log in logs:
            log.close()
    statuses: dict[int, int] = {}
    for _, _, status, _ in answers:
        statuses[status] = statuses.get(status, 0) + 1
    per_port = {port: sum(1 for _, what, _, _ in answers if str(port)[-5:] in what)
                for port in ports}
    # Latency: the gap between one member's consecutive answers, reads only.
    by_member = [[t for t, what, _, _ in m.answers if what.startswith("GET")]
                 for m in members]
    gaps = [b - a for times in by_member for a, b in zip(times, times[1:], strict=False)]
    return {
        "seconds": round(elapsed, 1), "members": MEMBERS, "requests": len(answers),
        "rps": round(len(answers) / elapsed, 1), "statuses": statuses,
        "per_port": per_port, "replies_accepted": len(accepted),
        "replies_stored": len(stored),
        "replies_stored_twice": sorted(b for b, c in stored.items() if int(c) != 1),
        "replies_missing": sorted(set(accepted) - set(stored)),
        "replies_unacknowledged": sorted(set(stored) - set(accepted)),
        "drain_seconds": round(drained, 1),
        "read_gap_p50_ms": _percentile(gaps, 0.5) if gaps else None,
        "read_gap_p99_ms": _percentile(gaps, 0.99) if gaps else None,
    }


def check(result: dict) -> list[str]:
    """What went wrong, in words; empty when the soak passed."""
    problems = []
    if any(status >= 500 or status == 0 for status in result["statuses"]):
        problems.append(f"server errors or no answer: {result['statuses']}")
    if result["replies_stored_twice"]:
        problems.append(f"stored twice: {result['replies_stored_twice'][:5]}")
    if result["replies_missing"]:
        problems.append(f"accepted but missing: {result['replies_missing'][:5]}")
    if result["replies_unacknowledged"]:
        problems.append(f"stored but refused: {result['replies_unacknowledged'][:5]}")
    low = min(result["per_port"].values())
    if low < 0.4 * result["requests"]:
        problems.append(f"the load was not split: {result['per_port']}")
    if not result["replies_accepted"]:
        problems.append("no reply was accepted")
    return problems


def main() -> None:
    import tempfile

    seconds = int(os.environ.get("SOAK_SECONDS", "300"))
    with tempfile.TemporaryDirectory() as folder:
        result = run(seconds, log_dir=Path(folder))
    out = ROOT / "bench" / "results" / "soak.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))
    problems = check(result)
    for problem in problems:
        print("FAILED:", problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
