"""``make weigh``: what each mechanism of the pages layer buys, in one sitting.

For every mechanism in ``community.pages.switches.MECHANISMS``, gunicorn serves the bench
community (``make bench``'s, generated on first use) with that one mechanism off
(``PAGES_OFF``); wrk loads the member thread page, the member home and search pages and an
anonymous thread page, and the bare view is loaded again before every variant, so each
figure is a share of a ceiling measured minutes, not an hour, apart. A last variant serves
the production configuration (``config/gunicorn.py``: gevent workers, a PostgreSQL
connection per request). The reply form is loaded with everything on and with the early
bump off. Results: ``bench/results/weigh-<timestamp>.json`` and a table on stdout.
``WEIGH_ONLY``: a comma list of variants (``on`` is always run).
"""
import json
import os
import sys
from datetime import UTC, datetime

from bench import run
from bench.serving import free_port, gunicorn

PAGES = ("thread first page (member)", "home (member)", "search (member)",
         "thread first page")


def _load(base: str, path: str, auth: str, cookie: str, workers: str, writers) -> dict:
    import urllib.request

    if auth != "member-post":
        warm = urllib.request.Request(  # noqa: S310
            base + path, headers={"Cookie": cookie} if auth == "member" else {})
        for _ in range(2 * int(workers)):
            urllib.request.urlopen(warm).read()  # noqa: S310  # nosec B310
    return run._wrk_load(base + path, cookie=cookie if auth != "anon" else "",
                         post=auth == "member-post", writers=writers)


def main():
    pages = run._prepare()  # sets Django up
    from community.pages.switches import MECHANISMS

    writers = run._member_cookies(run.CONNECTIONS)
    cookie = writers[0]
    workers = os.environ.get("BENCH_WORKERS", "4")
    only = {w.strip() for w in os.environ.get("WEIGH_ONLY", "").split(",") if w.strip()}
    variants = ["on", *(name for name in (*MECHANISMS, "production server")
                        if not only or name in only)]
    bare_port = free_port()
    bare = gunicorn("bench.bare:application", bare_port, workers=workers, extra=run.QUIET,
                    env={**run._env(), "DJANGO_SETTINGS_MODULE": "bench.bare"})
    results = {}
    try:
        for variant in variants:
            ceiling = run._wrk_load(f"http://127.0.0.1:{bare_port}/")["rps"]
            env = {**run._env(), "PAGES_OFF": variant if variant in MECHANISMS else ""}
            extra = run.QUIET
            if variant == "production server":
                extra = ("-c", "config/gunicorn.py", *run.QUIET)
                env.pop("CONN_MAX_AGE", None)
            port = free_port()
            server = gunicorn("config.wsgi", port, workers=workers, env=env, extra=extra)
            row = {"bare_rps": ceiling, "pages": {}}
            wanted = PAGES + (("reply (member)",) if variant in ("on", "early-bump") else ())
            try:
                for name in wanted:
                    auth, path = pages[name]
                    load = _load(f"http://127.0.0.1:{port}", path, auth, cookie, workers, writers)
                    load["share"] = round(load["rps"] / ceiling, 3)
                    row["pages"][name] = load
                    print(f"{variant:18} {name:28} {load}", flush=True)
            finally:
                server.terminate()
                server.wait(10)
            results[variant] = row
    finally:
        bare.terminate()
        bare.wait(10)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = run.ROOT / "bench" / "results" / f"weigh-{stamp}.json"
    out.write_text(json.dumps({"duration_s": run.DURATION, "connections": run.CONNECTIONS,
                               "workers": workers, "variants": results}, indent=2))
    names = PAGES + ("reply (member)",)
    print(f"{'off':18} {'bare':>7} " + " ".join(f"{n[:18]:>18}" for n in names))
    for variant, row in results.items():
        cells = [f"{row['pages'][n]['share']:>8.3f} {row['pages'][n].get('p99_ms', 0):>7.1f}ms"
                 if n in row["pages"] else f"{'-':>18}" for n in names]
        print(f"{variant:18} {row['bare_rps']:7.0f} " + " ".join(cells))
    print(f"Results written to {out.relative_to(run.ROOT)}")
    print(markdown(results))


def markdown(results: dict) -> str:
    """The table for bench/README.md: each page's share of the bare view (p99 in ms)."""
    names = PAGES + ("reply (member)",)
    lines = ["| off | bare req/s | " + " | ".join(names) + " |",
             "| --- | ---: | " + " | ".join("---:" for _ in names) + " |"]
    for variant, row in results.items():
        cells = [f"{row['pages'][n]['share']:.3f} ({row['pages'][n].get('p99_ms', 0):.0f})"
                 if n in row["pages"] else "-" for n in names]
        lines.append(f"| {variant} | {row['bare_rps']:.0f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
