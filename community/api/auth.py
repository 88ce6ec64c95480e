"""Who a request is: a personal access token (``Authorization: Bearer grv_...``), or the
session (the browsable pages, with CSRF on writes), or nobody."""
from django.utils.translation import gettext, gettext_lazy
from rest_framework import authentication, exceptions

from community import permissions

from . import tokens

INVALID = gettext_lazy("The access token is unknown, expired or revoked.")


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _, presented = header.partition(" ")
        if keyword.lower() != self.keyword.lower():
            return None
        presented = presented.strip()
        if not presented:
            raise exceptions.AuthenticationFailed(gettext("The Authorization header has no token."))
        token = tokens.token_find(presented)
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID)
        if not permissions.is_member(token.user):
            raise exceptions.AuthenticationFailed(gettext("The token's account is not active."))
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The signed-in member of the site (request.auth is None: every scope their role
    allows, as on the pages)."""
