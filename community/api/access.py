"""What a token's scopes allow. Whether the member may do the thing at all is asked of the
same predicates (``community.permissions``) and services as on the pages: this only
narrows a token to what it was created for.

- GET (and HEAD, OPTIONS) needs ``read``; any other method ``write``;
- a view's ``scope`` (``moderate`` for the host tools) replaces both;
- a write, or a view with ``sign_in_required``, without anyone signed in is 401.
A session (the browsable API) carries every scope its member's role allows. A personal
token and a third-party app's OAuth 2 token are read the same way (:func:`scopes_of`)."""
from django.utils.translation import gettext
from oauth2_provider.models import AccessToken as AppToken
from rest_framework import exceptions, permissions

from community.models import AccessToken


def needed_scope(request, view) -> str:
    return scope_for(request.method, view)


def scope_for(method: str, view) -> str:
    """The scope a ``method`` on ``view`` needs (also what the schema says it needs)."""
    scope = getattr(view, "scope", "")
    if scope:
        return scope
    return "read" if method.upper() in permissions.SAFE_METHODS else "write"


def scopes_of(auth) -> set[str] | None:
    """The scopes a request's credential carries: a personal token's, an app's token's
    (granted by its member on the consent page); None for a session (no token)."""
    if isinstance(auth, AccessToken):
        return set(auth.scopes)
    if isinstance(auth, AppToken):
        return set(auth.scope.split())
    return None


class TokenScopes(permissions.BasePermission):
    def has_permission(self, request, view):
        signed_in = bool(request.user and request.user.is_authenticated)
        if not signed_in and (getattr(view, "sign_in_required", False)
                              or request.method not in permissions.SAFE_METHODS):
            raise exceptions.NotAuthenticated(
                gettext("Sign in with an access token to do this."))
        granted = scopes_of(request.auth)
        if granted is not None:
            scope = needed_scope(request, view)
            if scope not in granted:
                raise exceptions.PermissionDenied(
                    gettext("This token does not have the %(scope)s scope.") % {"scope": scope})
        return True
