"""Who reads a stream: the session cookie, read once when the stream opens.

Channels' ``AuthMiddlewareStack`` does the same and also wraps every message the stream
sends in a check for a session to save, which a stream never changes: with thousands of
streams open, that check on each update was a tenth of the stream's work of fanning it out
(bench/README.md, "Live updates"). The reader is found as Django finds it for a page
(``channels.auth.get_user``: the backend, the user, the session's auth hash, the session
flushed when the hash no longer matches).
"""
from importlib import import_module

from channels.auth import get_user
from django.conf import settings
from django.http.cookie import parse_cookie


class StreamReader:
    """ASGI middleware: ``scope["user"]`` (and ``cookies``, ``session``) for the inner
    application, with ``send`` passed through untouched."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        raw = next((value for name, value in scope.get("headers", ()) if name == b"cookie"),
                   b"")
        cookies = parse_cookie(raw.decode("latin-1"))
        store = import_module(settings.SESSION_ENGINE).SessionStore
        scope = dict(scope, cookies=cookies,
                     session=store(cookies.get(settings.SESSION_COOKIE_NAME)))
        scope["user"] = await get_user(scope)
        return await self.inner(scope, receive, send)
