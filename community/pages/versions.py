"""Tags and their versions: what a cached value depends on, and how a write makes it stale.

Everything the pages layer keeps is stored under the current *versions* of the tags it
depends on: ``thread:<id>`` for a thread's pages, ``member:<handle>`` for a profile,
``feed`` for every list of threads, and ``site`` for what every page shows (names, spaces,
settings). Every write appends an ``EngagementEvent`` (ARCHITECTURE.md), and one table,
``community.pages.invalidation.STALE``, says which tags each kind of event makes stale;
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

Round trips to Redis are what a page waits on under load, so a request reads each tag's
version once (``RequestVersionsMiddleware``).
"""
import contextvars
import logging
import time

from django.core.cache import cache
from django.db import transaction

from . import switches

log = logging.getLogger(__name__)


def _version_key(tag: str) -> str:
    return f"pc:v:{tag}"


_versions_seen: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "pages_versions", default=None)


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


def current(tags) -> dict[str, int]:
    seen = None if switches.off("request-versions") else _versions_seen.get()
    memo = seen if seen is not None else {}
    missing = [tag for tag in tags if tag not in memo]
    if missing:
        found = cache.get_many([_version_key(tag) for tag in missing])
        memo.update({tag: found.get(_version_key(tag), 0) for tag in missing})
    return {tag: memo[tag] for tag in tags}


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

    if connection.in_atomic_block and not switches.off("early-bump"):
        _Pending(tags, user_ids)()
    invalidate_on_commit(*tags, user_ids=user_ids)


def thread_tag(thread_id) -> str:
    return f"thread:{thread_id}"


def product_tag(product_id) -> str:
    return f"product:{product_id}"


def member_tag(username: str) -> str:
    return f"member:{username.lower()}"
