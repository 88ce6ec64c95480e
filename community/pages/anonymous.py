"""Whole pages for anonymous visitors, from the shared cache, under their tags' versions.

A page is cached under its path, its query string, the language it is written in (the
visitor's, chosen by ``LocaleMiddleware``) and the current versions of the tags it shows
(``versions``). Only requests that carry no session and no messages are served
from here, and only responses that set no cookie and vary by nothing else are stored, so
a page meant for one person is never handed to another. When the cache is down, pages
are rendered as usual.
"""
import functools
import hashlib
import logging

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation

from . import switches, versions
from .store import release, versioned_get_many, versioned_set_many

log = logging.getLogger(__name__)

HEADER = "X-Page-Cache"


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


class Fixed(str):
    """A part of a page's name that no event bumps but the clock changes (a moment being
    open or closed): it goes into the key as it is, with no version to look up."""

    __slots__ = ()


def anonymous_page(tags, *, on_hit=None):
    """Serve this view from the cache to anonymous visitors.

    ``tags(request, **kwargs)`` names what the page shows besides ``site`` (and may add
    :class:`Fixed` parts); ``on_hit`` is called with the same arguments when the page comes
    from the cache (counting a view, say)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not (settings.PAGE_CACHE and _anonymous_request(request)) or switches.off(
                    "anonymous"):
                return view(request, *args, **kwargs)
            named = tags(request, **kwargs)
            try:
                wanted = ["site", *(t for t in named if not isinstance(t, Fixed))]
                stamps = versions.current(wanted)
                key = "pc:page:3:" + hashlib.sha256("|".join(
                    [release(), request.path, request.META.get("QUERY_STRING", ""),
                     translation.get_language() or ""]
                    + [f"{t}={stamps[t]}" for t in wanted]
                    + [str(t) for t in named if isinstance(t, Fixed)]
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
