"""Follow every link a visitor can see, breadth first from the home page.

Used on the demo community by ``tests/test_links.py`` (no link leads to an error) and by
``tests/browser/test_every_page.py`` (axe, a phone's width and valid HTML on one page of
every kind a visitor can reach).
Only GET requests are made, to this site's own paths; links that end a session or act on
a signed token (log out, one-click unsubscribe) are not followed."""
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.urls import Resolver404, resolve

NOT_FOLLOWED = ("/accounts/logout/", "/unsubscribe/")


def demo_visitors() -> dict:
    """One person of each kind in the demo community (``seed_demo``), anonymous first."""
    from community.models import User

    people = User.objects.filter(email__endswith="@demo.gravity.test")
    return {
        "anonymous": None,
        "member": people.filter(is_host=False, is_staff=False, trust_level__gte=1,
                                partner_memberships__isnull=True).first(),
        "partner": people.filter(partner_memberships__isnull=False).first(),
        "host": people.filter(is_host=True).first(),
        "site admin": people.filter(is_superuser=True).first(),
    }


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        target = values.get("href") if tag in ("a", "link") else (
            values.get("src") if tag in ("img", "script", "source") else None)
        if target:
            self.found.append(target)


@dataclass
class Walk:
    visited: int = 0
    broken: list[tuple[int, str, str]] = field(default_factory=list)  # (status, url, from)
    pages: dict[str, str] = field(default_factory=dict)  # view name -> first HTML page
    html: dict[str, bytes] = field(default_factory=dict)  # view name -> that page's HTML


def _view(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return f"unresolved {path}"


def walk(client, start: str = "/", per_view: int = 3, limit: int = 1500) -> Walk:
    """Visit at most ``per_view`` pages of each view (a thread, a profile, ... of each kind),
    reading the links of every HTML page; a link answered with 400 or more is broken."""
    result, seen, per = Walk(), set(), Counter()
    queue = deque([(start, "")])
    while queue and result.visited < limit:
        url, source = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        view = _view(urlsplit(url).path)
        if per[view] >= per_view or any(part in url for part in NOT_FOLLOWED):
            continue
        per[view] += 1
        result.visited += 1
        path = urlsplit(url).path
        if path.startswith(settings.STATIC_URL):  # served by WhiteNoise once collected
            if not finders.find(path.removeprefix(settings.STATIC_URL)):
                result.broken.append((404, url, source))
            continue
        if path.startswith(settings.MEDIA_URL):  # uploads: a file in the storage (the
            # test's own MEDIA_ROOT, which config/urls.py bound before the test began)
            if not default_storage.exists(path.removeprefix(settings.MEDIA_URL)):
                result.broken.append((404, url, source))
            continue
        response = client.get(url)
        if response.status_code >= 400:
            result.broken.append((response.status_code, url, source))
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if view not in result.pages:
            result.pages[view], result.html[view] = url, body
        links = _Links()
        links.feed(body.decode("utf-8", "replace"))
        for href in links.found:
            parts = urlsplit(urljoin(url, href))
            if parts.scheme not in ("", "http", "https") or parts.netloc not in (
                    "", "testserver"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                queue.append((target, url))
    return result
