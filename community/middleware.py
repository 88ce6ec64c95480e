"""Request middleware of the community app."""
from allauth.socialaccount.models import SocialApp
from django.contrib.auth import get_user
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404


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
            raise Http404("This sign-in method is not set up on this site.")
        return None
