"""Whole pages for anonymous visitors, from the shared cache, invalidated by what changed.

A page is cached under its path, its query string and the current *versions* of the tags
it depends on: ``thread:<id>`` for a thread's pages, ``member:<handle>`` for a profile,
``feed`` for every list of threads, and ``site`` for what every page shows (names, spaces,
settings). Every write appends an ``EngagementEvent`` (ARCHITECTURE.md), and one table,
``community.invalidation.STALE``, says which tags each kind of event makes stale;
:func:`services.events.event_record` hands every event to it. The engagement engine bumps
``feed`` when new scores reorder the lists. A bumped version changes the key, so the next
visitor gets a fresh page at once: a reply shows to anonymous readers as soon as it is
committed. Old entries simply expire.

When tags are bumped (:func:`invalidate_with_commit`): twice, once at once, inside the
writing transaction, and once more after it commits. The first bump lets the transaction
itself (and a test, which never commits) read its own writes through the cache; but a
concurrent reader between that bump and the commit still sees the old rows and may store
them under the new version. The second bump, after commit, gives the tags versions nobody
has rendered under yet, so that entry is never read: after commit every reader gets the
committed fact. A rollback leaves only a needless miss.

Only requests that carry no session and no messages are served from here, and only
responses that set no cookie and vary by nothing else are stored, so a page meant for one
person is never handed to another. When the cache is down, pages are rendered as usual.

Round trips to Redis are what a page waits on under load, so a request reads each tag's
version once (``RequestVersionsMiddleware``), and values under keys that name their
versions (fragments, remembered data, post cards) are kept in the process as well
(``recent``): such a key never changes meaning, so a hit there is as good as one in Redis.
"""
import contextvars
import functools
import hashlib
import logging
import pickle  # nosec B403
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

log = logging.getLogger(__name__)

PAGE_TIMEOUT = 300
HEADER = "X-Page-Cache"


def _version_key(tag: str) -> str:
    return f"pc:v:{tag}"


_versions_seen: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "pagecache_versions", default=None)


class RequestVersionsMiddleware:
    """Tag versions read once per request: a thread page that asks for the thread's version
    for its header, its posts and its partner credit makes one round trip, not three."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _versions_seen.set({})
        try:
            return self.get_response(request)
        finally:
            _versions_seen.reset(token)


def _versions(tags) -> dict[str, int]:
    seen = _versions_seen.get()
    memo = seen if seen is not None else {}
    missing = [tag for tag in tags if tag not in memo]
    if missing:
        found = cache.get_many([_version_key(tag) for tag in missing])
        memo.update({tag: found.get(_version_key(tag), 0) for tag in missing})
    return {tag: memo[tag] for tag in tags}


class Recent:
    """Values under versioned keys, kept in this process too: least recently used out
    first, within ``budget`` characters, each for as long as the shared entry lives."""

    def __init__(self, budget: int):
        self.budget, self.used = budget, 0
        self.items: OrderedDict[str, tuple[float, object, int]] = OrderedDict()
        self.lock = threading.Lock()

    def get_many(self, keys) -> dict:
        now, found = time.monotonic(), {}
        with self.lock:
            for key in keys:
                item = self.items.get(key)
                if item is not None and item[0] > now:
                    self.items.move_to_end(key)
                    found[key] = item[1]
        return found

    def set_many(self, values: dict, timeout: float) -> None:
        expires = time.monotonic() + timeout
        with self.lock:
            for key, value in values.items():
                size = len(value)
                if size > self.budget // 8:
                    continue
                old = self.items.pop(key, None)
                self.used += size - (old[2] if old else 0)
                self.items[key] = (expires, value, size)
            while self.used > self.budget:
                _, (_, _, size) = self.items.popitem(last=False)
                self.used -= size


recent = Recent(budget=32 * 1024 * 1024)


def versioned_get_many(keys) -> dict:
    """Values (str or bytes) under keys that name their versions: this process first,
    then Redis (one round trip for what is missing)."""
    names = {key: cache.make_key(key) for key in keys}  # the test's or site's prefix
    local = recent.get_many(names.values())
    found = {key: local[name] for key, name in names.items() if name in local}
    missing = [key for key in keys if key not in found]
    if missing:
        shared = cache.get_many(missing)
        recent.set_many({names[key]: value for key, value in shared.items()}, PAGE_TIMEOUT)
        found.update(shared)
    return found


def versioned_set_many(values: dict, timeout: float = PAGE_TIMEOUT) -> None:
    cache.set_many(values, timeout)
    recent.set_many({cache.make_key(key): value for key, value in values.items()}, timeout)


def invalidate(*tags: str) -> None:
    """Give ``tags`` new versions now (pages that depend on them are rendered again)."""
    if not tags:
        return
    stamp = time.time_ns()
    seen = _versions_seen.get()
    if seen is not None:  # later reads in this request see the new versions
        seen.update(dict.fromkeys(tags, stamp))
    try:
        cache.set_many({_version_key(tag): stamp for tag in set(tags)}, timeout=None)
    except Exception as error:  # noqa: BLE001  (the cache being down must not fail a write)
        log.warning("page cache not invalidated (%s): %s", ", ".join(tags), error)


class _Pending:
    """The tags (and people, by id) one transaction changed: one bump after it commits,
    however many writes and events it held."""

    def __init__(self, tags=(), user_ids=()):
        self.tags: set[str] = set(tags)
        self.user_ids: set[int] = set(user_ids)

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


def invalidate_with_commit(*tags: str, user_ids=()) -> None:
    """``tags`` and the profiles of ``user_ids`` get new versions now and again after the
    current transaction commits (once, outside one): see the module's docstring."""
    user_ids = {pk for pk in user_ids if pk}
    if not (tags or user_ids):
        return
    from django.db import connection

    if connection.in_atomic_block:
        _Pending(tags, user_ids)()
    invalidate_on_commit(*tags, user_ids=user_ids)


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
        versions = _versions(wanted)
    except Exception as error:  # noqa: BLE001
        log.warning("fragment cache unavailable: %s", error)
        return ""
    return "pc:frag:" + hashlib.sha256("|".join(
        [str(part) for part in parts]
        + [f"{t}={versions[t]}" for t in wanted]).encode()).hexdigest()


def kept(key: str, make, timeout: float = PAGE_TIMEOUT):
    """What ``make()`` returns (str or bytes), kept under ``key``, a key that names its
    versions (``fragment_key``): from this process or Redis when there, else made and
    stored. Made every time when ``key`` is "" (the cache off or unreachable) or the cache
    fails."""
    if not key:
        return make()
    try:
        hit = versioned_get_many([key]).get(key)
    except Exception as error:  # noqa: BLE001  (cache down: make it)
        log.warning("cache unavailable: %s", error)
        hit = None
    if hit is not None:
        return hit
    value = make()
    try:
        versioned_set_many({key: value}, timeout)
    except Exception as error:  # noqa: BLE001  (not stored: made again next time)
        log.warning("not cached: %s", error)
    return value


def remember(parts, compute, *, tags=("feed",)):
    """``compute()``, kept in the cache under ``parts`` and the current versions of
    ``tags`` and ``site``, like a fragment: data every reader sees alike (one page of a
    thread, say), fresh after every write that bumps those tags. Computed every time when
    the cache is off or unreachable."""
    # Pickled here and unpickled for each request, so no two requests share one object.
    return pickle.loads(kept(  # noqa: S301  # nosec B301
        fragment_key("remembered", *parts, tags=tags), lambda: pickle.dumps(compute())))


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
                versions = _versions(wanted)
                key = "pc:page:2:" + hashlib.sha256("|".join(
                    [request.path, request.META.get("QUERY_STRING", "")]
                    + [f"{t}={versions[t]}" for t in wanted]
                ).encode()).hexdigest()
                hit = versioned_get_many([key]).get(key)
            except Exception as error:  # noqa: BLE001  (cache down: render as usual)
                log.warning("page cache unavailable: %s", error)
                return view(request, *args, **kwargs)
            if hit is not None:
                content_type, _, content = hit.partition(b"\n")
                if on_hit is not None:
                    on_hit(request, **kwargs)
                response = HttpResponse(content, content_type=content_type.decode())
                response[HEADER] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if _storable(response):
                try:
                    versioned_set_many(
                        {key: response["Content-Type"].encode() + b"\n" + response.content})
                except Exception as error:  # noqa: BLE001
                    log.warning("page not cached: %s", error)
                response[HEADER] = "miss"
            return response

        return wrapper

    return decorator
