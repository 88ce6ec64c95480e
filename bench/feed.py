"""Time ``import_products`` on a generated shop feed: wall time and peak memory of each run.

    python -m bench.feed [--products 100000] [--images 100] [--feed /tmp/gravity-feed-100000]
    make bench-feed

Writes the feed (a CSV and its photos, drawn with Pillow) if the folder does not hold one,
drops and creates ``BENCH_FEED_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/
gravity_feed_bench``), migrates it, makes one host, and runs the import three times in a
child process exactly as an operator would: into the empty catalogue, again unchanged, and
again with one row in a hundred changed. Each run's peak memory is its own process's
(``wait4``'s resource usage). Prints and writes ``bench/results/feed-<UTC time>.json``.

The feed: families of a main product and three accessories (one family in seven lists its
accessories before their main product, so the import links them at the end), twenty brand
lines, fifty tags on the main products, descriptions of a few hundred characters, and a
photo on the first ``--images`` main products.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINES = ["Summit", "Harbour", "Meadow", "Forge", "Copper", "Ridge", "Atlas", "Brook",
         "Cinder", "Delta", "Ember", "Fjord", "Grove", "Heath", "Isle", "Juniper", "Kestrel",
         "Linden", "Marsh", "Nimbus"]
THINGS = ["kettle", "fermenter", "mash tun", "wort chiller", "grain mill", "bottling wand",
          "keg", "hop spider", "hydrometer", "thermometer"]
PARTS = ["filter", "gasket", "tap", "lid", "valve", "hose", "false bottom", "spare element"]
WORDS = ["stainless", "steel", "welded", "brushed", "insulated", "graduated", "litres",
         "rolling", "boil", "whirlpool", "sanitise", "clamp", "silicone", "food", "grade",
         "thread", "fits", "every", "model", "in", "the", "range", "easy", "to", "clean"]


def _psql(server: str, sql: str) -> None:
    subprocess.run(["psql", f"{server}/postgres", "-qc", sql], check=True,  # nosec B607
                   capture_output=True)


def _photo(path: Path, rng: random.Random) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 600), (rng.randint(150, 230),) * 3)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([220, 150, 580, 500], radius=30,
                           fill=tuple(rng.randint(60, 200) for _ in range(3)))
    image.save(path, "JPEG", quality=85)


def write_feed(folder: Path, *, products: int, images: int, changed: int = 0) -> Path:
    """The feed CSV in ``folder`` (``changed``: that many rows differ from the base feed,
    spread evenly); returns its path."""
    rng = random.Random(f"feed:{products}")  # nosec B311
    drawing = random.Random("photos")  # nosec B311
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "photos").mkdir(exist_ok=True)
    path = folder / (f"feed-changed-{changed}.csv" if changed else "feed.csv")
    every = products // changed if changed else 0
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["sku", "name", "line", "description", "shop_url", "parent_sku",
                         "tag", "image", "active"])
        number, family = 0, 0
        while number < products:
            family += 1
            line = LINES[family % len(LINES)]
            thing = THINGS[family % len(THINGS)]
            main_sku = f"{line[:3].upper()}-{family:06d}"
            rows = []
            image = ""
            if family <= images:
                image = f"photos/{main_sku}.jpg"
                if not (folder / image).exists():
                    _photo(folder / image, drawing)
            rows.append([main_sku, f"{line} {thing} {family}", line,
                         " ".join(rng.choices(WORDS, k=40)).capitalize() + ".",
                         f"https://shop.example.com/p/{main_sku.lower()}", "",
                         f"{thing.replace(' ', '-')}-{family % 5}", image, "true"])
            for part in range(3):
                sku = f"{main_sku}-A{part + 1}"
                name = f"{PARTS[(family + part) % len(PARTS)].capitalize()} for the {line} " \
                       f"{thing} {family}"
                rows.append([sku, name, line, " ".join(rng.choices(WORDS, k=20)) + ".",
                             f"https://shop.example.com/p/{sku.lower()}", main_sku, "", "",
                             "true" if part else "yes"])
            if family % 7 == 0:
                rows.reverse()  # the accessories first: linked once their main is in
            for row in rows:
                if number >= products:
                    break
                number += 1
                if every and number % every == 0:
                    row[1] = row[1] + " (2027)"
                writer.writerow(row)
    return path


def _run(command: list[str], env: dict) -> dict:
    """Run ``command``; its wall time, its own peak resident set, and what it printed."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=out, stderr=err)  # nosec B603
        _, status, usage = os.wait4(child.pid, 0)  # this child's own figures
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{stdout}\n{stderr}")
    return {"wall_s": round(wall, 1), "peak_rss_mib": round(usage.ru_maxrss / 1024),
            "summary": stdout.strip().splitlines()[0] if stdout.strip() else ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--images", type=int, default=100)
    parser.add_argument("--feed", type=Path)
    args = parser.parse_args()
    folder = args.feed or Path(f"/tmp/gravity-feed-{args.products}")  # nosec B108
    started = time.perf_counter()
    feed = write_feed(folder, products=args.products, images=args.images)
    changed = write_feed(folder, products=args.products, images=args.images,
                         changed=max(args.products // 100, 1))
    print(f"feed written in {time.perf_counter() - started:.0f}s: {feed}", flush=True)

    url = os.environ.get("BENCH_FEED_DATABASE_URL",
                         "postgres://postgres@127.0.0.1:5432/gravity_feed_bench")
    server, name = url.rsplit("/", 1)
    _psql(server, f"DROP DATABASE IF EXISTS {name}")
    _psql(server, f"CREATE DATABASE {name}")
    env = {**os.environ, "DATABASE_URL": url, "TASKS_EAGER": "0", "EMAIL_URL": "memory://",
           "MEDIA_ROOT": str(folder / "media")}
    env.pop("REDIS_URL", None)  # tasks in-process: the runs measure the import alone
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)  # nosec B603
    subprocess.run([*manage, "shell", "--no-imports", "-c",  # nosec B603
                    "from community.models import User; User.objects.create_user("
                    "username='host', email='host@example.com', is_host=True)"],
                   env=env, check=True)

    runs = {}
    for label, path in (("import", feed), ("re-run, unchanged", feed),
                        ("re-run, 1% changed", changed)):
        runs[label] = _run([*manage, "import_products", str(path), "--no-progress"], env)
        print(f"{label}: {runs[label]}", flush=True)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "products": args.products, "images": args.images,
        "feed_mib": round(feed.stat().st_size / 2**20, 1), "runs": runs,
    }
    out = ROOT / "bench" / "results" / f"feed-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
