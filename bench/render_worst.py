"""What the worst 20,000-character bodies cost: the content check, and rendering for those it
lets through (``python -m bench.render_worst``; no database needed).

Each body is built to make markdown-it work hard: unclosed link labels, emphasis runs,
backticks, autolinks, entities, tables, many lines. A refused body is never rendered by the
site; its render time is shown only to say what the check saves.
"""
import os
import time


def cases(limit: int = 20000) -> dict[str, str]:
    raw = {
        "![ x10000 (issue 20)": "![" * 10000,
        "[ x20000": "[" * 20000,
        "[![ x6666": "[![" * 6666,
        "*a x10000": "*a" * 10000,
        "[ x1000 then <a": "[" * 1000 + "<a" * 9500,
        "5 [ then <a": "[" * 5 + "<a" * 9995,
        "3 [ then <a": "[" * 3 + "<a" * 9995,
        "[]( x1000": "[](" * 1000 + "x" * 17000,
        "[a]( x1000": "[a](" * 1000,
        "*a x1000 then <a": "*a" * 1000 + "<a" * 9000,
        "`a x1000 then <a": "`a" * 1000 + "<a" * 9000,
        "<a x10000": "<a" * 10000,
        "] x20000": "]" * 20000,
        "&# x10000": "&#" * 10000,
        "<http://a> x2000": "<http://a>" * 2000,
        "<b> x6666": "<b>" * 6666,
        "@ x20000": "@" * 20000,
        "> - x5000": "> - " * 5000,
        "999 lines of [[": "[[[[[[[[[\n" * 999,
        "999 headings": "# a\n" * 999 + "a" * 16000,
        "999 list items": "- a\n" * 999 + "a" * 16000,
        "table 180x50": ("|" + "a|" * 50 + "\n") * 2 + ("|" + "-|" * 50 + "\n")
        + ("|" + "a|" * 50 + "\n") * 180,
        "table 39x50": ("|" + "a|" * 50 + "\n") + ("|" + "-|" * 50 + "\n")
        + ("|" + "a|" * 50 + "\n") * 37,
        "fence of 998 lines of [": "```\n" + "[[[[[[[[[[[[[[[[[[\n" * 998 + "```",
    }
    return {name: body[:limit] for name, body in raw.items()}


def best_of(fn, body, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn(body)
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.exceptions import ValidationError

    from community.content import limits, rendering

    def checked(body):
        try:
            limits.size_check(body)
        except ValidationError:
            return False
        return True

    worst = 0.0
    print(f"{'body':26} {'check':>9} {'render':>10}  outcome")
    for name, body in cases().items():
        passes = checked(body)
        check_ms = best_of(limits.size_check if passes else checked, body)
        render_ms = best_of(rendering.render, body)
        if passes:
            worst = max(worst, check_ms + render_ms)
        print(f"{name:26} {check_ms:7.1f}ms {render_ms:8.1f}ms  "
              f"{'rendered' if passes else 'refused before rendering'}")
    print(f"worst accepted body: {worst:.1f} ms (check and render)")


if __name__ == "__main__":
    main()
