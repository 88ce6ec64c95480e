"""Whole pages for anonymous visitors, from the shared cache, invalidated by what changed.

A page is cached under its path, its query string and the current *versions* of the tags
it depends on: ``thread:<id>`` for a thread's pages, ``member:<handle>`` for a profile,
``feed`` for every list of threads, and ``site`` for what every page shows (names, spaces,
settings). Every write appends an ``EngagementEvent`` (ARCHITECTURE.md), and
:func:`services.events.event_record` bumps the tags of the threads and people the event
is about, after commit; the engagement engine bumps ``feed`` when it rescores. A bumped
version changes the key, so the next visitor gets a fresh page at once: a reply shows to
anonymous readers as soon as it is committed. Old entries simply expire.

Only requests that carry no session and no messages are served from here, and only
responses that set no cookie and vary by nothing else are stored, so a page meant for one
person is never handed to another. When the cache is down, pages are rendered as usual.
"""
import functools
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

log = logging.getLogger(__name__)

PAGE_TIMEOUT = 300
HEADER = "X-Page-Cache"


def _version_key(tag: str) -> str:
    return f"pc:v:{tag}"


def invalidate(*tags: str) -> None:
    """Give ``tags`` new versions now (pages that depend on them are rendered again)."""
    if not tags:
        return
    stamp = time.time_ns()
    try:
        cache.set_many({_version_key(tag): stamp for tag in set(tags)}, timeout=None)
    except Exception as error:  # noqa: BLE001  (the cache being down must not fail a write)
        log.warning("page cache not invalidated (%s): %s", ", ".join(tags), error)


class _Pending:
    """The tags (and people, by id) one transaction changed: one bump after it commits,
    however many writes and events it held."""

    def __init__(self):
        self.tags: set[str] = set()
        self.user_ids: set[int] = set()

    def __call__(self):
        tags = set(self.tags)
        if self.user_ids:
            from community.models import User

            tags.update(member_tag(h) for h in User.objects.filter(
                pk__in=self.user_ids).values_list("username", flat=True))
        invalidate(*tags)


def invalidate_on_commit(*tags: str, user_ids=()) -> None:
    """After the current transaction commits (at once outside one): ``tags`` and the
    profiles of ``user_ids``. Calls within one transaction are merged into one bump."""
    from django.db import connection

    pending = None
    if connection.in_atomic_block:
        # Merge only within the same savepoint: a rollback to it drops the bump with the
        # writes it was for, and nothing registered outside it.
        here = set(connection.savepoint_ids)
        pending = next((func for sids, func, _ in connection.run_on_commit
                        if isinstance(func, _Pending) and sids == here), None)
    if pending is None:
        pending = _Pending()
        pending.tags.update(tags)
        pending.user_ids.update(pk for pk in user_ids if pk)
        transaction.on_commit(pending)
        return
    pending.tags.update(tags)
    pending.user_ids.update(pk for pk in user_ids if pk)


def thread_tag(thread_id) -> str:
    return f"thread:{thread_id}"


def member_tag(username: str) -> str:
    return f"member:{username.lower()}"


def fragment_key(*parts, tags=("feed",)) -> str:
    """A key for a rendered fragment that everyone sees alike (a thread list, say), under
    the current versions of ``tags`` and ``site``; "" when the cache is unreachable (the
    fragment is then rendered every time)."""
    if not settings.PAGE_CACHE:
        return ""
    wanted = ["site", *tags]
    try:
        versions = cache.get_many([_version_key(t) for t in wanted])
    except Exception as error:  # noqa: BLE001
        log.warning("fragment cache unavailable: %s", error)
        return ""
    return "pc:frag:" + hashlib.sha256("|".join(
        [str(part) for part in parts]
        + [f"{t}={versions.get(_version_key(t), 0)}" for t in wanted]).encode()).hexdigest()


def _anonymous_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.headers.get("HX-Request")
    )


def _storable(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


def anonymous_page(tags, *, on_hit=None):
    """Serve this view from the cache to anonymous visitors.

    ``tags(request, **kwargs)`` names what the page shows besides ``site``; ``on_hit``
    is called with the same arguments when the page comes from the cache (counting a
    view, say)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not (settings.PAGE_CACHE and _anonymous_request(request)):
                return view(request, *args, **kwargs)
            wanted = ["site", *tags(request, **kwargs)]
            try:
                versions = cache.get_many([_version_key(t) for t in wanted])
                key = "pc:page:" + hashlib.sha256("|".join(
                    [request.path, request.META.get("QUERY_STRING", "")]
                    + [f"{t}={versions.get(_version_key(t), 0)}" for t in wanted]
                ).encode()).hexdigest()
                hit = cache.get(key)
            except Exception as error:  # noqa: BLE001  (cache down: render as usual)
                log.warning("page cache unavailable: %s", error)
                return view(request, *args, **kwargs)
            if hit is not None:
                content, content_type = hit
                if on_hit is not None:
                    on_hit(request, **kwargs)
                response = HttpResponse(content, content_type=content_type)
                response[HEADER] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if _storable(response):
                try:
                    cache.set(key, (response.content, response["Content-Type"]), PAGE_TIMEOUT)
                except Exception as error:  # noqa: BLE001
                    log.warning("page not cached: %s", error)
                response[HEADER] = "miss"
            return response

        return wrapper

    return decorator
