"""Time ``import_stackexchange`` on a generated dump: wall time and peak memory.

    python -m bench.import_se [--posts 1000000] [--dump /tmp/gravity-se-1000000]

Writes the dump with ``bench.se_dump`` if the folder does not hold one, drops and creates
``BENCH_IMPORT_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/
gravity_import_bench``), migrates it, runs the import in a child process exactly as an
operator would, and prints and writes ``bench/results/import-<UTC time>.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _psql(server: str, sql: str) -> None:
    subprocess.run(["psql", f"{server}/postgres", "-qc", sql], check=True,  # nosec B607
                   capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--dump", type=Path)
    args = parser.parse_args()
    dump = args.dump or Path(f"/tmp/gravity-se-{args.posts}")  # nosec B108
    if not (dump / "Votes.xml").is_file():
        from bench.se_dump import generate

        started = time.perf_counter()
        counts = generate(dump, posts=args.posts)
        print(f"dump written in {time.perf_counter() - started:.0f}s: {counts}", flush=True)
    url = os.environ.get("BENCH_IMPORT_DATABASE_URL",
                         "postgres://postgres@127.0.0.1:5432/gravity_import_bench")
    server, name = url.rsplit("/", 1)
    _psql(server, f"DROP DATABASE IF EXISTS {name}")
    _psql(server, f"CREATE DATABASE {name}")
    env = {**os.environ, "DATABASE_URL": url, "TASKS_EAGER": "0", "EMAIL_URL": "memory://"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)

    started = time.perf_counter()
    done = subprocess.run([*manage, "import_stackexchange", str(dump), "--space", "imported",
                           "--no-progress"], env=env, check=True, capture_output=True,
                          text=True)
    wall = time.perf_counter() - started
    # The importer and its render worker: the larger of the two resident sets.
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(done.stdout, flush=True)
    imported = {kind: int(n.replace(",", "")) for kind, n in
                re.findall(r"^(\w+)\s+read\s+[\d,]+\s+imported\s+([\d,]+)", done.stdout, re.M)}
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "dump_posts": args.posts, "imported": imported,
        "wall_s": round(wall, 1), "peak_rss_mib": round(peak_mib),
        "posts_per_s": round((imported.get("questions", 0) + imported.get("answers", 0)
                              + imported.get("comments", 0)) / wall),
    }
    out = ROOT / "bench" / "results" / f"import-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
