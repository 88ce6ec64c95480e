"""Request middleware of the community app."""
import io
import re

from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.handlers.wsgi import LimitedStream
from django.http import Http404, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy


class ResolvedUserMiddleware:
    """``request.user`` as the user itself rather than Django's lazy proxy (right after
    ``AuthenticationMiddleware``). Nearly every request with a session reads the user
    anyway, and a member's thread page asks some two hundred permission questions, each
    attribute of which went through the proxy; a request without a session costs nothing
    more (no session, no query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.user = get_user(request)
        except ValidationError:  # a session naming no possible user: nobody is signed in
            request.user = AnonymousUser()
        return self.get_response(request)


class MemberLanguageMiddleware:
    """A signed-in member reads the site in the language saved on their profile
    (``User.language``, right after ``ResolvedUserMiddleware``); "" follows what
    ``LocaleMiddleware`` chose from the language cookie or the browser's Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = getattr(request.user, "language", "")
        if chosen and translation.check_for_language(chosen):
            translation.activate(chosen)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class UnconfiguredProviderMiddleware:
    """A social sign-in whose provider has no app configured in the admin is a 404.

    allauth raises ``SocialApp.DoesNotExist`` for it, which would otherwise be a 500 on a
    link anybody can type (``/accounts/google/login/`` before the admin has set Google up).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, SocialApp.DoesNotExist):
            raise Http404(gettext("This sign-in method is not set up on this site."))
        return None


# C0 control characters other than tab, line feed and carriage return: nothing a person
# types, PostgreSQL refuses NUL in text, and XML (the feeds) refuses all of them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
NOT_ALLOWED = gettext_lazy("The request contained a character that is not allowed.")


def _refuse(request, status: int, message: str, template: str = "400.html"):
    from community.api import problems

    if problems.is_api(request):
        return problems.response(status, message)
    return render(request, template, {"message": message}, status=status)


class RequestSizeMiddleware:
    """A request body larger than ``REQUEST_MAX_BYTES`` is refused with 413 before it is
    read (first in ``MIDDLEWARE``: nothing has touched the body yet). A declared
    ``Content-Length`` is judged at once; a chunked body, whose length nobody declares, is
    read as it streams and refused as soon as it passes the limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.REQUEST_MAX_BYTES
        declared = request.META.get("CONTENT_LENGTH") or ""
        if declared.strip():
            try:
                length = int(declared)
            except ValueError:
                return _refuse(request, 400,
                               gettext("The request's Content-Length is not a number."))
            if length < 0:
                return _refuse(request, 400,
                               gettext("The request's Content-Length is not a number."))
            if length > limit:
                return self.too_large(request)
        elif "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            body = self._read_chunked(request.META["wsgi.input"], limit)
            if body is None:
                return self.too_large(request)
            # Django reads exactly Content-Length bytes of a body: give it the one read here.
            request.META["CONTENT_LENGTH"] = str(len(body))
            request._stream = LimitedStream(io.BytesIO(body), len(body))
        return self.get_response(request)

    @staticmethod
    def _read_chunked(stream, limit: int) -> bytes | None:
        parts, size = [], 0
        while chunk := stream.read(64 * 1024):
            size += len(chunk)
            if size > limit:
                return None
            parts.append(chunk)
        return b"".join(parts)

    @staticmethod
    def too_large(request):
        def mib(size):
            return f"{size / (1024 * 1024):g} MB"

        return _refuse(request, 413, gettext(
            "A request can carry at most %(request)s, and an image at most %(image)s.") % {
            "request": mib(settings.REQUEST_MAX_BYTES), "image": mib(settings.UPLOAD_MAX_BYTES)},
            "413.html")


class ControlCharacterMiddleware:
    """400 for a control character (NUL and the other C0 characters but tab and line
    breaks) in the path or in any query or form parameter's name or value: such input can
    only be a mistake or a probe, and would otherwise reach PostgreSQL ("A string literal
    cannot contain NUL characters", a 500) or an XML feed. One check for every view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_control_character(request):
            return _refuse(request, 400, NOT_ALLOWED)
        return self.get_response(request)

    @staticmethod
    def _has_control_character(request) -> bool:
        if CONTROL_CHARACTERS.search(request.path):
            return True
        sources = [request.GET]
        if request.method == "POST" and request.content_type in (
                "application/x-www-form-urlencoded", "multipart/form-data"):
            try:
                sources.append(request.POST)
            except (MultiPartParserError, UnreadablePostError):
                return False  # the view (or CSRF) answers a malformed body itself
        return any(CONTROL_CHARACTERS.search(key) or any(
            CONTROL_CHARACTERS.search(value) for value in values)
            for source in sources for key, values in source.lists())
