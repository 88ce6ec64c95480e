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
