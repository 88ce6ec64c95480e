"""Request middleware of the community app."""
from allauth.socialaccount.models import SocialApp
from django.http import Http404


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
