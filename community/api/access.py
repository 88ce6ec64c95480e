"""What a token's scopes allow. Whether the member may do the thing at all is asked of the
same predicates (``community.permissions``) and services as on the pages: this only
narrows a token to what it was created for.

- GET (and HEAD, OPTIONS) needs ``read``; any other method ``write``;
- a view's ``scope`` (``moderate`` for the host tools) replaces both;
- a write, or a view with ``sign_in_required``, without anyone signed in is 401.
A session (the browsable API) carries every scope its member's role allows."""
from django.utils.translation import gettext
from rest_framework import exceptions, permissions

from community.models import AccessToken


def needed_scope(request, view) -> str:
    scope = getattr(view, "scope", "")
    if scope:
        return scope
    return "read" if request.method in permissions.SAFE_METHODS else "write"


class TokenScopes(permissions.BasePermission):
    def has_permission(self, request, view):
        signed_in = bool(request.user and request.user.is_authenticated)
        if not signed_in and (getattr(view, "sign_in_required", False)
                              or request.method not in permissions.SAFE_METHODS):
            raise exceptions.NotAuthenticated(
                gettext("Sign in with an access token to do this."))
        token = request.auth
        if isinstance(token, AccessToken):
            scope = needed_scope(request, view)
            if scope not in token.scopes:
                raise exceptions.PermissionDenied(
                    gettext("This token does not have the %(scope)s scope.") % {"scope": scope})
        return True
