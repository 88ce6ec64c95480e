"""The OAuth 2 server django-oauth-toolkit runs (``OAUTH2_PROVIDER`` in settings).

- ``Server``: the authorization-code grant and the refresh grant only (no implicit, no
  password, no client-credentials grant: their requests are ``unsupported_response_type``
  and ``unsupported_grant_type``), PKCE with S256 only.
- ``Validator``: the scopes of a code or a refresh never exceed what the member's role
  allows now, and a suspended or deleted account gets no token.
- ``Scopes``: the personal tokens' four scopes, in words."""
from django.utils.translation import gettext_lazy as _
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes
from oauthlib.oauth2 import WebApplicationServer
from oauthlib.oauth2.rfc6749.grant_types.authorization_code import code_challenge_method_s256
from oauthlib.oauth2.rfc6749.utils import scope_to_list

from community import permissions
from community.api import tokens
from community.models import AccessToken

Scope = AccessToken.Scope
# What the consent page says each scope lets the app do.
SCOPE_WORDS = {
    Scope.READ.value: _("Read what you can read in the community, as you"),
    Scope.WRITE.value: _("Post, reply, edit your posts and vote, as you"),
    Scope.MODERATE.value: _("Use the host tools: moderate posts and read the health figures"),
    Scope.ADMIN.value: _("Administer the site"),
}


def capped(user, scopes) -> list[str]:
    """``scopes`` that ``user``'s role allows, in the scopes' order, ``read`` always
    (a member's token reads what they read, as a personal token does)."""
    allowed = tokens.allowed_scopes(user)
    if not allowed:
        return []
    wanted = set(scope_to_list(scopes) or []) | {Scope.READ.value}
    return [s for s in Scope.values if s in wanted and s in allowed]


class Server(WebApplicationServer):
    def __init__(self, request_validator, token_expires_in=None, token_generator=None,
                 refresh_token_generator=None, **kwargs):
        super().__init__(request_validator, token_generator=token_generator,
                         token_expires_in=token_expires_in,
                         refresh_token_generator=refresh_token_generator, **kwargs)
        # S256 only: "plain" (or no method, which means plain) is refused at the consent
        # page's address with invalid_request.
        self.auth_grant._code_challenge_methods = {"S256": code_challenge_method_s256}


class Validator(OAuth2Validator):
    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        if not super().validate_code(client_id, code, client, request, *args, **kwargs):
            return False
        if not permissions.is_member(request.user):
            return False
        request.scopes = capped(request.user, request.scopes)
        return True

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs):
        return (super().validate_refresh_token(refresh_token, client, request, *args,
                                               **kwargs)
                and permissions.is_member(request.user))

    def get_original_scopes(self, refresh_token, request, *args, **kwargs):
        scopes = super().get_original_scopes(refresh_token, request, *args, **kwargs)
        return capped(request.user, scopes)


class Scopes(BaseScopes):
    def get_all_scopes(self):
        return {scope: str(words) for scope, words in SCOPE_WORDS.items()}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return list(Scope.values)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return [Scope.READ.value]
