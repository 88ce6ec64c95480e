"""The API's fixtures: a token per role, and a client that presents it."""
import pytest
from django.test import Client

from community.api import tokens

from .. import factories


class ApiClient:
    """A test client that sends JSON and, when given one, an access token."""

    def __init__(self, secret: str | None = None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, path, data=None, **headers):
        return self.client.get(path, data, headers={**self.headers, **headers})

    def post(self, path, data=None, **headers):
        return self.client.post(path, data if data is not None else {},
                                content_type="application/json",
                                headers={**self.headers, **headers})

    def patch(self, path, data=None, **headers):
        return self.client.patch(path, data or {}, content_type="application/json",
                                 headers={**self.headers, **headers})

    def delete(self, path, **headers):
        return self.client.delete(path, headers={**self.headers, **headers})


def token_for(user, *scopes, days=30):
    return tokens.token_create(user=user, name="Test token", scopes=scopes, days=days)


@pytest.fixture
def api():
    """``api(user, *scopes)``: a client with a new token of ``user`` (None: anonymous)."""

    def make(user=None, *scopes):
        if user is None:
            return ApiClient()
        _, secret = token_for(user, *(scopes or ("read", "write")))
        return ApiClient(secret)

    return make


@pytest.fixture
def space(db):
    return factories.SpaceFactory(name="Kettles")


def app_token_for(user, *scopes, app=None) -> str:
    """A third-party app's access token for ``user`` as the token endpoint issues it after
    the consent page: ``scopes`` capped by the member's role (``oauth.server.capped``);
    its secret. ``app``: a registered app (a new one when None)."""
    from datetime import timedelta
    from secrets import token_urlsafe

    from django.utils import timezone
    from oauth2_provider.models import AccessToken as AppToken
    from oauth2_provider.models import set_token_value

    from community.api.oauth import server, services

    if app is None:
        admin = factories.AdminFactory()
        app, _ = services.app_register(admin=admin, name="Test app",
                                       redirect_uris="https://app.example.com/cb",
                                       client_type="public")
    secret = token_urlsafe(30)
    token = AppToken(user=user, application=app, scope=" ".join(server.capped(user, scopes)),
                     expires=timezone.now() + timedelta(hours=1))
    set_token_value(token, secret)
    token.save()
    return secret
