"""Sign in with a generic OpenID Connect provider configured in the admin (a real stand-in)."""
from urllib.error import HTTPError
from urllib.parse import urlparse
from urllib.request import HTTPRedirectHandler, build_opener

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.sites.models import Site
from django.urls import reverse

from community.models import User

from ..oidc_standin import StandInProvider

pytestmark = pytest.mark.django_db

CLIENT_ID = "gravity-test-client"


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def provider():
    user = {"sub": "standin-42", "email": "oidc.member@example.com", "name": "Olga Idc"}
    with StandInProvider(client_id=CLIENT_ID, user=user) as running:
        app = SocialApp.objects.create(
            provider="openid_connect", provider_id="standin", name="Stand-in SSO",
            client_id=CLIENT_ID, secret="standin-secret",
            settings={"server_url": running.discovery_url},
        )
        app.sites.add(Site.objects.get_current())
        yield running


def _authorize(redirect_url: str) -> str:
    """Follow the browser's visit to the provider; return where it sends the browser back."""
    opener = build_opener(_NoRedirect)
    with pytest.raises(HTTPError) as redirect:  # urllib reports the 302 it may not follow
        opener.open(redirect_url)  # noqa: S310 (the stand-in's loopback URL)
    assert redirect.value.code == 302
    return redirect.value.headers["Location"]


def test_member_signs_in_with_openid_connect(client, provider):
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": "standin"}))
    assert start.status_code == 302
    assert start["Location"].startswith(provider.url + "/authorize")

    callback = urlparse(_authorize(start["Location"]))
    response = client.get(callback.path + "?" + callback.query, follow=True)

    assert response.status_code == 200
    user = User.objects.get(email="oidc.member@example.com")
    assert SocialAccount.objects.filter(user=user, provider="standin", uid="standin-42").exists()
    assert client.session.get("_auth_user_id") == str(user.pk)
    assert provider.token_requests[0]["client_id"] == CLIENT_ID
    assert "code_verifier" in provider.token_requests[0]  # PKCE is on


def test_forged_state_logs_nobody_in(client, provider):
    client.post(reverse("openid_connect_login", kwargs={"provider_id": "standin"}))
    callback = reverse("openid_connect_callback", kwargs={"provider_id": "standin"})
    response = client.get(callback, {"code": "anything", "state": "forged"})
    assert response.status_code in (200, 400, 401)
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="oidc.member@example.com").exists()


def test_provider_is_listed_on_the_login_page_once_configured(client, provider):
    response = client.get(reverse("account_login"))
    assert "Stand-in SSO" in response.content.decode()
