"""Who a request is: a personal access token (``Authorization: Bearer grv_...``), a
third-party app's OAuth 2 access token (any other bearer token, ``community.api.oauth``),
or the session (the browsable pages, with CSRF on writes), or nobody."""
from django.utils.translation import gettext, gettext_lazy
from oauth2_provider.oauth2_backends import get_oauthlib_core
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
            raise exceptions.AuthenticationFailed(
                gettext("The Authorization header has no token."))
        if not presented.startswith(tokens.TOKEN_START):
            return None  # an app's token: OAuthAuthentication's
        token = tokens.token_find(presented)
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID)
        if not permissions.is_member(token.user):
            raise exceptions.AuthenticationFailed(gettext("The token's account is not active."))
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class OAuthAuthentication(authentication.BaseAuthentication):
    """A third-party app's access token (``Authorization: Bearer <token>``), checked by
    django-oauth-toolkit (known, not expired, not revoked; its app still registered).
    ``request.auth`` is the token; its scopes are read by ``access.TokenScopes`` as a
    personal token's are."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        keyword, _, presented = header.partition(" ")
        if keyword.lower() != "bearer" or not presented.strip():
            return None
        valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
        if not valid:
            raise exceptions.AuthenticationFailed(INVALID)
        token = oauth_request.access_token
        if not permissions.is_member(token.user):
            raise exceptions.AuthenticationFailed(gettext("The token's account is not active."))
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The signed-in member of the site (request.auth is None: every scope their role
    allows, as on the pages)."""
