"""``make bench``: gunicorn on PostgreSQL with a large generated community, under load.

Creates (once) the database ``BENCH_DATABASE_URL`` (default ``gravity_bench``), fills it with
``bench.generate``, starts gunicorn with production settings on a free port and loads each
page with wrk (Debian package ``wrk``) when installed, else with a threaded Python client.
Results go to ``bench/results/<timestamp>.json`` and a table on stdout.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL",
                              "postgres://postgres@127.0.0.1:5432/gravity_bench")
DURATION = int(os.environ.get("BENCH_SECONDS", "15"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))


def _env() -> dict:
    return {
        **os.environ, "DATABASE_URL": DATABASE_URL, "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def _manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=_env(), check=True)


def _prepare() -> dict:
    from bench.generate import ensure_database

    ensure_database(DATABASE_URL)
    _manage("migrate", "--noinput", "-v0")
    _manage("collectstatic", "--noinput", "-v0")
    os.environ.update(_env())
    import django

    django.setup()
    from community.models import Thread

    if not Thread.objects.exists():
        from bench.generate import generate

        members = int(os.environ.get("BENCH_MEMBERS", "5000"))
        threads = int(os.environ.get("BENCH_THREADS", "20000"))
        print(f"Generating {members} members and {threads} threads...", flush=True)
        print(generate(members=members, threads=threads), flush=True)
    big = Thread.objects.order_by("-post_count").first()
    return {
        "home": "/",
        "home latest": "/?tab=latest",
        "space": "/s/bench-space-3/",
        "thread (first page)": big.get_absolute_url(),
        "thread (last page)": big.get_absolute_url() + "?page=999",
        "search": "/search/?q=kettle+yeast",
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _python_load(url: str) -> dict:
    deadline = time.monotonic() + DURATION
    latencies: list[float] = []

    def worker():
        while time.monotonic() < deadline:
            started = time.perf_counter()
            with urllib.request.urlopen(url) as response:  # noqa: S310 (loopback)
                response.read()
            latencies.append(time.perf_counter() - started)

    with ThreadPoolExecutor(CONNECTIONS) as pool:
        for _ in range(CONNECTIONS):
            pool.submit(worker)
    latencies.sort()
    return {
        "requests_per_second": round(len(latencies) / DURATION, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        "tool": "python",
    }


def _wrk_load(url: str) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout
    result = {"tool": "wrk"}
    for line in out.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            result["requests_per_second"] = float(parts[1])
        elif parts[:1] == ["50%"]:
            result["p50"] = parts[1]
        elif parts[:1] == ["99%"]:
            result["p99"] = parts[1]
    return result


def main():
    pages = _prepare()
    port = _free_port()
    workers = os.environ.get("BENCH_WORKERS", "4")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", workers, "-b",
         f"127.0.0.1:{port}", "--log-level", "warning"], cwd=ROOT, env=_env(),
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(50):
            try:
                urllib.request.urlopen(base + "/healthz")  # noqa: S310 (loopback)
                break
            except OSError:
                time.sleep(0.2)
        load = _wrk_load if shutil.which("wrk") else _python_load
        results = {}
        for name, path in pages.items():
            urllib.request.urlopen(base + path).read()  # noqa: S310 (warm up)
            results[name] = {"path": path, **load(base + path)}
            print(f"{name:22} {results[name]}", flush=True)
    finally:
        server.terminate()
        server.wait(10)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = ROOT / "bench" / "results" / f"{stamp}.json"
    out.write_text(json.dumps({"duration_s": DURATION, "connections": CONNECTIONS,
                               "workers": workers, "pages": results}, indent=2))
    print(f"Results written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
