"""Sign-in and posting on the development server, timed as a person meets them.

Against ``make run`` (``manage.py runserver`` on the SQLite file, tasks in-process, after
``manage.py seed_demo``)::

    .venv/bin/python -m bench.devspeed                # http://127.0.0.1:8000, 12 rounds
    .venv/bin/python -m bench.devspeed --base http://127.0.0.1:8001 --rounds 20

Each round signs a different demo member in (the POST of the sign-in form, timed) and has
them reply to a demo thread (the POST of the reply form, timed).
Every member signs in once before the timed rounds, so a stored hash that the first
sign-in upgrades (a new first password hasher) is not counted against either side.
Prints the median and 90th percentile of each POST, and of each POST with the page it
redirects to (what a person waits for), in milliseconds.
"""
import argparse
import http.cookiejar
import re
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from django.utils.text import slugify

from community.demo import data

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE = re.compile(r'name="nonce" value="([^"]+)"')
REPLY_FORM = re.compile(r'action="(/t/\d+/reply/)"')
THREAD_LINK = re.compile(r'href="(/t/\d+/[^"/]+/)"')


def demo_handle(full_name: str) -> str:
    """The handle ``seed_demo`` gives a demo member (``community.demo.seeding``)."""
    return slugify(full_name.split()[0]).replace("-", "_")[:30]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Visitor:
    """One browser: its own cookies; redirects are not followed (the POST alone is timed)."""

    def __init__(self, base: str):
        if urllib.parse.urlparse(base).scheme not in ("http", "https"):
            raise SystemExit("--base must be an http(s) address")
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def get(self, path: str) -> str:
        """The page at ``path``, following its redirects (a permalink to its thread page)."""
        for _ in range(5):
            try:
                with self.opener.open(self.base + path, timeout=30) as response:
                    return response.read().decode()
            except urllib.error.HTTPError as error:
                if error.code not in (301, 302):
                    raise
                error.read()
                path = urllib.parse.urljoin(path, error.headers.get("Location", ""))
        raise SystemExit(f"too many redirects from {path}")

    def post(self, path: str, fields: dict) -> tuple[int, float, float]:
        """The status, the seconds the POST took, and the seconds it and the page it
        redirects to took, both read in full (what a person waits for after pressing the
        button)."""
        body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={
            "Referer": self.base + path, "Content-Type": "application/x-www-form-urlencoded"})
        start = time.perf_counter()
        location = ""
        try:
            with self.opener.open(request, timeout=30) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:  # 302 (not followed) lands here
            error.read()
            status, location = error.code, error.headers.get("Location", "")
        posted = time.perf_counter() - start
        if status == 302:
            self.get(urllib.parse.urljoin(path, location))
        return status, posted, time.perf_counter() - start


def sign_in(visitor: Visitor, email: str) -> tuple[float, float]:
    page = visitor.get("/accounts/login/")
    status, *seconds = visitor.post("/accounts/login/", {
        "csrfmiddlewaretoken": TOKEN.search(page).group(1), "login": email,
        "password": data.DEMO_PASSWORD})
    if status != 302:
        raise SystemExit(f"sign-in as {email} answered {status}, not a redirect")
    return seconds


def reply(visitor: Visitor, thread: str, round_number: int) -> tuple[float, float]:
    page = visitor.get(thread)
    form = REPLY_FORM.search(page)
    if form is None:
        raise SystemExit(f"no reply form on {thread}")
    status, *seconds = visitor.post(form.group(1), {
        "csrfmiddlewaretoken": TOKEN.search(page).group(1),
        "nonce": NONCE.search(page).group(1),
        "body": f"Timing round {round_number}: this worked for me with a slower ramp."})
    if status != 302:
        raise SystemExit(f"reply to {thread} answered {status}, not a redirect")
    return seconds


def summary(name: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p90 = ms[min(len(ms) - 1, round(0.9 * (len(ms) - 1)))]
    return (f"{name:22} n={len(ms):3}  median {statistics.median(ms):7.1f} ms  "
            f"p90 {p90:7.1f} ms  min {ms[0]:7.1f}  max {ms[-1]:7.1f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--rounds", type=int, default=12)
    args = parser.parse_args(argv)
    handles = [demo_handle(name) for name in data.MEMBER_NAMES][:args.rounds]
    emails = [f"{handle}@demo.gravity.test" for handle in handles]
    home = Visitor(args.base).get("/?tab=latest")
    threads = list(dict.fromkeys(THREAD_LINK.findall(home)))
    if not threads:
        raise SystemExit("no threads on the home page: run manage.py seed_demo first")
    for email in emails:  # warm-up: upgrades of stored hashes happen here
        sign_in(Visitor(args.base), email)
    signing_in, posting = [], []
    for number, email in enumerate(emails):
        visitor = Visitor(args.base)
        signing_in.append(sign_in(visitor, email))
        posting.append(reply(visitor, threads[number % len(threads)], number))
    print(summary("sign-in POST", [post for post, _ in signing_in]))
    print(summary("sign-in POST + home", [total for _, total in signing_in]))
    print(summary("reply POST", [post for post, _ in posting]))
    print(summary("reply POST + thread", [total for _, total in posting]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
