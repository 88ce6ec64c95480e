"""Rate limits (``API_RATES``, requests a minute, kept in the shared cache): per token (a
personal token, a third-party app's authorisation by one member, or a signed-in member)
for reads and for writes, per address for anonymous readers. Past the limit: 429 with
``Retry-After``."""
from django.conf import settings
from oauth2_provider.models import AccessToken as AppToken
from rest_framework.throttling import SimpleRateThrottle

from community.models import AccessToken


class ApiRate(SimpleRateThrottle):
    cache_format = "api-rate:%(scope)s:%(ident)s"

    def __init__(self):  # the rate depends on the request: chosen in allow_request
        pass

    def allow_request(self, request, view):
        if not settings.API_THROTTLE:
            return True
        if not (request.user and request.user.is_authenticated):
            self.scope = "anon"
        else:
            self.scope = "read" if request.method in ("GET", "HEAD", "OPTIONS") else "write"
        self.rate = settings.API_RATES[self.scope]
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, AccessToken):
            ident = f"token-{request.auth.pk}"
        elif isinstance(request.auth, AppToken):
            # One bucket per authorisation (app and member), not per access token: a
            # refresh makes a new token, never a fresh allowance.
            ident = f"app-{request.auth.application_id}-{request.auth.user_id}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
