"""Values kept under keys that name their versions: fragments, remembered data, cards.

A key made by :func:`fragment_key` names the current versions of the tags it depends on
(``versions``), so it never changes meaning: a value under it is kept in this process as
well as in Redis (``recent``), and a hit here is as good as one there. :func:`kept` keeps
rendered output (``{% fragment %}``, the thread's body); :func:`remember` keeps data that
every reader sees alike, computed by the selector a view hands it. When the cache is off
or unreachable, everything is made every time.
"""
import functools
import hashlib
import logging
import pickle  # nosec B403
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from . import switches, versions

log = logging.getLogger(__name__)

PAGE_TIMEOUT = 300

# What decides how a page renders: where the release hash reads from (under BASE_DIR).
RELEASE_SOURCES = ("community", "purpose", "partners", "config", "templates", "locale",
                   "static")


@functools.cache
def _source_hash() -> str:
    digest = hashlib.blake2b(digest_size=8)
    for folder in RELEASE_SOURCES:
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def release() -> str:
    """The running code's name in every key of a kept page or fragment: ``RELEASE`` when a
    deploy sets it, else a hash of the sources on disk (read once per process, about 70 ms
    for ~600 files). Without it, a template or filter changed by a deploy would not show
    to anonymous readers until the page's tags were next bumped or the entry expired."""
    return settings.RELEASE or _source_hash()


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
    local = {} if switches.off("local") else recent.get_many(names.values())
    found = {key: local[name] for key, name in names.items() if name in local}
    missing = [key for key in keys if key not in found]
    if missing:
        shared = cache.get_many(missing)
        recent.set_many({names[key]: value for key, value in shared.items()}, PAGE_TIMEOUT)
        found.update(shared)
    return found


def versioned_set_many(values: dict, timeout: float = PAGE_TIMEOUT) -> None:
    cache.set_many(values, timeout)
    if switches.off("local"):
        return
    recent.set_many({cache.make_key(key): value for key, value in values.items()}, timeout)


def fragment_key(*parts, tags=("feed",), switch="fragments") -> str:
    """A key for a rendered fragment that everyone sees alike (a thread list, say), in the
    active language, under the current versions of ``tags`` and ``site``; "" when the cache
    is unreachable (the fragment is then rendered every time)."""
    if not settings.PAGE_CACHE or switches.off(switch):
        return ""
    wanted = ["site", *tags]
    try:
        stamps = versions.current(wanted)
    except Exception as error:  # noqa: BLE001
        log.warning("fragment cache unavailable: %s", error)
        return ""
    return "pc:frag:" + hashlib.sha256("|".join(
        [release(), translation.get_language() or "", *(str(part) for part in parts)]
        + [f"{t}={stamps[t]}" for t in wanted]).encode()).hexdigest()


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
        fragment_key("remembered", *parts, tags=tags, switch="remembered"),
        lambda: pickle.dumps(compute())))


# Template output rendered once per process for each shape (the reply form, the site
# header), with slots for what differs on every render.
_RENDERED = Recent(budget=4 * 1024 * 1024)


def rendered_once(shape: str, render) -> str:
    """``render()``'s output for ``shape`` in the active language, from this process's store
    after the first time;
    fresh every time in DEBUG, where templates change under a running server."""
    if settings.DEBUG or switches.off("rendered-once"):
        return render()
    shape = f"{translation.get_language()}|{shape}"
    html = _RENDERED.get_many([shape]).get(shape)
    if html is None:
        html = render()
        _RENDERED.set_many({shape: html}, PAGE_TIMEOUT)
    return html
