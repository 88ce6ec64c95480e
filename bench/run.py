"""``make bench``: gunicorn on PostgreSQL with a large generated community, under load.

Creates (once) the database ``BENCH_DATABASE_URL`` (default ``gravity_bench``), fills it with
``bench.generate``, starts gunicorn with production settings on a free port and loads each
page with wrk (Debian package ``wrk``) when installed, else with a threaded Python client.
Results go to ``bench/results/<timestamp>.json`` and a table on stdout.
"""
import json
import os
import shutil
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from bench.serving import free_port, gunicorn

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL",
                              "postgres://postgres@127.0.0.1:5432/gravity_bench")
DURATION = int(os.environ.get("BENCH_SECONDS", "15"))
QUIET = ("--log-level", "warning")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))


def _env() -> dict:
    return {
        **os.environ, "DATABASE_URL": DATABASE_URL, "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # Production-like: the shared cache, view counts and the broker in Redis (tasks wait
        # for a worker there instead of running inside the request).
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2"),
        # One namespace per database: the 10k and the million-post communities have
        # threads with the same ids, and a page cached for one must not serve the other.
        "CACHE_PREFIX": "bench-" + DATABASE_URL.rsplit("/", 1)[-1],
        # Posting limits are policy (tests/community/test_content_rules.py), not speed: the
        # reply load would measure refusals.
        "POSTING_RATE": "0",
        # The API's rate limits likewise (config/settings.py API_RATES): policy, not speed.
        "API_THROTTLE": "0",
    }


def _manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=_env(), check=True)


def _prepare() -> dict:
    """The community (generated once) and the pages to load, by name."""
    from bench.generate import ensure_database

    ensure_database(DATABASE_URL)
    _manage("migrate", "--noinput", "-v0")
    _manage("collectstatic", "--noinput", "-v0")
    os.environ.update(_env())
    import django

    django.setup()
    from community.models import Thread, User

    if not Thread.objects.exists():
        from bench.generate import generate

        sizes = {name: int(os.environ.get(f"BENCH_{name.upper()}", default)) for name, default in
                 (("members", 100_000), ("threads", 100_000), ("posts", 1_000_000),
                  ("votes", 2_000_000), ("long_thread", 5_000))}
        print(f"Generating {sizes}...", flush=True)
        print(generate(**sizes), flush=True)
    # bench.generate makes its first thread the long one; not "the longest": the reply
    # bench adds to a question, which outgrows it after a few runs.
    big = Thread.objects.order_by("pk").first()
    question = (Thread.objects.filter(kind="question", answer_count__gte=3, is_deleted=False)
                .order_by("-answer_count").first() or big)
    profile = User.objects.filter(username__startswith="bench", is_host=False).order_by(
        "-pk").first()
    gallery = _moment().get_absolute_url()
    widget = _widget_product()
    product = _product().get_absolute_url()
    _initiatives(big)
    return {
        "home": ("anon", "/"),
        "space": ("anon", "/s/bench-space-3/"),
        "question": ("anon", question.get_absolute_url()),
        "thread first page": ("anon", big.get_absolute_url()),
        "thread last page": ("anon", big.get_absolute_url() + "?page=999"),
        "search": ("anon", "/search/?q=kettle+yeast"),
        "profile": ("anon", f"/u/{profile.username}/"),
        "gallery": ("anon", gallery),
        "widget json": ("anon", f"/widget/products/{widget.sku}.json"),
        "product": ("anon", product),
        "home (member)": ("member", "/"),
        "thread first page (member)": ("member", big.get_absolute_url()),
        "search (member)": ("member", "/search/?q=kettle+yeast"),
        "gallery (member)": ("member", gallery),
        "product (member)": ("member", product),
        "reply (member)": ("member-post", f"/t/{question.pk}/reply/"),
        # The public API, read as a member (the session; a token costs the same one query).
        "api threads (member)": ("member", "/api/v1/threads/"),
        "api thread posts (member)": ("member", f"/api/v1/threads/{big.pk}/posts/"),
        # Host pages: slower than members' (figures computed per request, never kept), each
        # under 300 ms p99 at 16 connections.
        "dashboard (host)": ("host", "/host/"),
        "growth (host)": ("host", "/host/growth/"),
        "strategy (host)": ("host", "/host/strategy/"),
    }


INITIATIVES = 12


def _initiatives(big):
    """The initiatives the strategy page measures: made once, through the services, each a
    fortnight of the last half year linked to one of the busiest threads (the long one
    first)."""
    from datetime import timedelta

    from django.utils import timezone

    from community.host.strategy import services
    from community.models import Initiative, Thread, User

    if Initiative.objects.filter(name__startswith="Bench:").exists():
        return
    host = User.objects.filter(is_host=True, is_active=True).order_by("pk").first()
    threads = [big, *Thread.objects.filter(is_deleted=False).exclude(pk=big.pk)
               .order_by("-post_count", "pk")[:INITIATIVES - 1]]
    today = timezone.now().date()
    for n, thread in enumerate(threads):
        starts = today - timedelta(days=14 * (n + 1))
        services.initiative_create(
            host=host, name=f"Bench: campaign {n + 1}", owner="Bench team", starts_on=starts,
            ends_on=starts + timedelta(days=13), channel="community", placed=1 + n % 5,
            thread=thread)


GALLERY_ENTRIES = 30
WIDGET_QUESTIONS = 25  # more than a page of the widget (10), each with answers


def _widget_product():
    """The product whose widget JSON the bench loads: made once, with
    ``WIDGET_QUESTIONS`` of the generated questions (those with the most answers) asked
    about it, and its origin listed as a shop would list its own."""
    from community.models import CommunitySettings, Product, Thread

    product, created = Product.objects.get_or_create(
        sku="BENCH-KETTLE-30L", defaults={"name": "Bench kettle 30L", "slug": "bench-kettle-30l"})
    if created:
        picked = list(Thread.objects.filter(kind="question", is_deleted=False, is_hidden=False,
                                            product__isnull=True, answer_count__gte=1)
                      .order_by("-answer_count", "pk").values_list("pk", flat=True)
                      [:WIDGET_QUESTIONS])
        Thread.objects.filter(pk__in=picked).update(product=product)
        row = CommunitySettings.get()
        row.widget_origins = "https://shop.bench.example"
        row.save()
    return product


def _moment():
    """The moment whose gallery the bench loads: made once, through the services, with
    ``GALLERY_ENTRIES`` photo entries by as many members (photos drawn and cleaned like a
    member's upload), a third of them featured."""
    from datetime import timedelta

    from django.utils import timezone

    from community.demo import photos
    from community.models import Moment, Space, User
    from community.services import moments

    title = "Bench: show us your brew day"
    moment = Moment.objects.filter(title=title).first()
    if moment is not None:
        return moment
    now = timezone.now()
    host = User.objects.filter(is_host=True, is_active=True).order_by("pk").first()
    moment = moments.moment_create(
        host=host, space=Space.objects.order_by("pk").first(), title=title,
        brief="A photo of your brew day, and a line about it.",
        opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=30))
    members = User.objects.filter(username__startswith="bench", is_host=False,
                                  is_active=True).order_by("pk")[:GALLERY_ENTRIES]
    scenes = sorted(photos.SCENES)
    for n, member in enumerate(members):
        entry = moments.entry_create(
            author=member, moment=moment, text=f"Brew day number {n + 1}.",
            photo=photos.photo(scenes[n % len(scenes)], n), alt_text=f"Brew day photo {n + 1}",
            created_at=now - timedelta(days=6, hours=-4 * n))
        if n % 3 == 0:
            moments.entry_feature_set(host=host, entry=entry, featured=True)
    return moment


PRODUCT_QUESTIONS = 30


def _product():
    """The product whose page the bench loads: made once, through the services, with a
    photo, three accessories, and ``PRODUCT_QUESTIONS`` of the community's answered
    questions about it (named as the ask form names them)."""
    from community.commerce import catalogue
    from community.demo import photos
    from community.models import Product, Space, Thread, User
    from community.services import conversations

    product = Product.objects.filter(sku="BENCH-K30").first()
    if product is not None:
        return product
    host = User.objects.filter(is_host=True, is_active=True).order_by("pk").first()
    space = Space.objects.order_by("pk").first()
    product = catalogue.product_create(
        host=host, sku="BENCH-K30", name="Bench kettle 30 L", line="Summit",
        description="A 30-litre stainless kettle with a tap and a thermometer.",
        shop_url="https://shop.example.com/p/bench-k30", space=space,
        tag=conversations.tags_resolve(["bench-kettle"])[0])
    catalogue.product_image_add(host=host, product=product, upload=photos.photo("kettle"),
                                alt_text="The bench kettle on a worktop")
    for n, name in enumerate(("Hop spider", "Spare element", "Anti-foam drops")):
        catalogue.product_create(host=host, sku=f"BENCH-K30-A{n}", name=name,
                                 line="Summit", parent=product)
    questions = (Thread.objects.filter(kind="question", answer_count__gte=2, is_deleted=False,
                                       is_hidden=False, space=space)
                 .order_by("-last_activity_at").values_list("pk", flat=True)
                 [:PRODUCT_QUESTIONS])
    # The questions were asked before the catalogue existed: they are named here as if
    # asked from its page (bench data, like bench.generate's rows).
    Thread.objects.filter(pk__in=list(questions)).update(product=product)
    return product


def _member_cookies(count: int = 1, *, hosts: bool = False) -> list[str]:
    """Signed-in bench members' session and CSRF cookies, as Cookie headers: the first
    ``count`` members (readers use the first; the reply load posts as all of them), or
    hosts (``hosts``: for the host pages)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from community.models import User

    cookies = []
    for member in User.objects.filter(username__startswith="bench", is_host=hosts).order_by(
            "pk")[:count]:
        session = SessionStore()
        session[SESSION_KEY] = str(member.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = member.get_session_auth_hash()
        session.save()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
                       f"csrftoken={CSRF}")
    return cookies


CSRF = "benchbenchbenchbenchbenchbench12"  # a 32-character CSRF secret, sent as cookie+field


def _queries(pages: dict) -> dict:
    """Queries each page costs when rendered (the page cache off: its misses' cost)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from community.models import User

    settings.PAGE_CACHE = False
    settings.ALLOWED_HOSTS = ["*"]
    anonymous, member, host = Client(), Client(), Client()
    member.force_login(User.objects.filter(username__startswith="bench", is_host=False)
                       .order_by("pk").first())
    host.force_login(User.objects.filter(username__startswith="bench", is_host=True)
                     .order_by("pk").first())
    counts = {}
    for name, (auth, path) in pages.items():
        if auth == "member-post":
            continue
        client = {"member": member, "host": host}.get(auth, anonymous)
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        counts[name] = len(ctx.captured_queries)
    return counts


# Each connection's replies come from its own member (one author's posts are written one at
# a time, by design: community.content.limits.lock_author).
REPLY_LUA = """
local n = 0
local cookies = {%(cookies)s}
request = function()
  n = n + 1
  local cookie = cookies[(n %% #cookies) + 1]
  local body = "body=Bench+reply+" .. n .. "&nonce=bench" .. n .. "-" .. math.random(1e9)
     .. "&csrfmiddlewaretoken=%(csrf)s"
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
    ["Referer"] = "%(referer)s",
  }, body)
end
"""


def _wrk_load(url: str, *, cookie: str = "", post: bool = False, writers=()) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency"]
    script = None
    if post:
        import tempfile

        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(REPLY_LUA % {"csrf": CSRF, "referer": url, "cookies": ", ".join(
                f'"{c}"' for c in (writers or [cookie]))})
        command += ["-s", script.name]
    elif cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    if script is not None:
        os.unlink(script.name)
    return wrk_figures(out)


def wrk_figures(out: str) -> dict:
    """Requests per second, median and p99 latency and errors from wrk's ``--latency``
    report."""
    result = {"tool": "wrk"}
    for line in out.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            result["rps"] = float(parts[1])
        elif parts[:1] in (["50%"], ["99%"]):
            result["p50_ms" if parts[0] == "50%" else "p99_ms"] = _ms(parts[1])
        elif "Non-2xx or 3xx responses" in line:
            result["errors"] = int(parts[-1])
    return result


def _ms(text: str) -> float:
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return round(float(text[: -len(unit)]) * factor, 2)
    return float(text)


def main():
    pages = _prepare()
    only = [word.strip() for word in os.environ.get("BENCH_ONLY", "").split(",") if word.strip()]
    if only:  # a subset while working on some pages: latest.json keeps the last full run
        pages = {name: page for name, page in pages.items() if any(w in name for w in only)}
    queries = _queries(pages)
    writers = _member_cookies(CONNECTIONS)
    cookie = writers[0]
    host_cookie = _member_cookies(1, hosts=True)[0]
    workers = os.environ.get("BENCH_WORKERS", "4")
    if not shutil.which("wrk"):
        sys.exit("make bench needs wrk (apt-get install wrk).")
    results = {}
    port = free_port()
    bare = gunicorn("bench.bare:application", port, workers=workers, extra=QUIET,
                    env={**_env(), "DJANGO_SETTINGS_MODULE": "bench.bare"})
    try:
        results["bare view"] = {"auth": "anon", "path": "/",
                                **_wrk_load(f"http://127.0.0.1:{port}/"), "queries": 0}
        print(f"{'bare view':28} {results['bare view']}", flush=True)
    finally:
        bare.terminate()
        bare.wait(10)
    port = free_port()
    server = gunicorn("config.wsgi", port, workers=workers, env=_env(), extra=QUIET)
    try:
        base = f"http://127.0.0.1:{port}"
        for name, (auth, path) in pages.items():
            reader = {"anon": "", "host": host_cookie}.get(auth, cookie)
            if auth != "member-post":
                # Warm up every worker, as the reader the page is loaded for.
                warm = urllib.request.Request(  # noqa: S310
                    base + path, headers={"Cookie": reader} if reader else {})
                for _ in range(2 * int(workers)):
                    urllib.request.urlopen(warm).read()  # noqa: S310  # nosec B310
            load = _wrk_load(base + path, cookie=reader,
                             post=auth == "member-post", writers=writers)
            results[name] = {"auth": "member" if auth.startswith("member") else auth,
                             "path": path, **load, "queries": queries.get(name)}
            print(f"{name:28} {results[name]}", flush=True)
    finally:
        server.terminate()
        server.wait(10)
    ceiling = results["bare view"]["rps"]
    for row in results.values():
        row["ratio"] = round(row["rps"] / ceiling, 3) if ceiling else None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {"duration_s": DURATION, "connections": CONNECTIONS, "workers": workers,
              "pages": results}
    out = ROOT / "bench" / "results" / f"{stamp}.json"
    for target in (out, *(() if only else (ROOT / "bench" / "results" / "latest.json",))):
        target.write_text(json.dumps(report, indent=2))
    print(f"{'page':28} {'auth':6} {'rps':>8} {'p50 ms':>8} {'p99 ms':>8} {'queries':>7} ratio")
    for name, row in results.items():
        queries = "-" if row["queries"] is None else row["queries"]
        print(f"{name:28} {row['auth']:6} {row['rps']:8.1f} {row.get('p50_ms', 0):8.1f} "
              f"{row.get('p99_ms', 0):8.1f} {queries:>7} {row['ratio']}")
    print(f"Results written to {out.relative_to(ROOT)}"
          + ("" if only else " and bench/results/latest.json"))


if __name__ == "__main__":
    main()
