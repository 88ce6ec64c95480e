"""A member authorises a third-party app in Chromium at 390 px, with the keyboard alone:
the consent page names the app and what it may do, axe finds nothing serious, Allow sends
the browser back to the app with a code; the settings page lists the app and revokes it."""
import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.urls import reverse

from community.api.oauth import services
from tests import factories

from .conftest import log_in
from .test_accessibility import AXE, _need, axe_serious

pytestmark = pytest.mark.django_db(transaction=True)
REDIRECT = "https://desk.example.com/callback"


def _press_until(page, name, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"{name!r} is not reachable with Tab")


def test_a_member_authorises_and_revokes_an_app_with_the_keyboard(browser, live_server,
                                                                   settings):
    _need(AXE)
    settings.ALLOWED_HOSTS = ["*"]
    app, _secret = services.app_register(admin=factories.AdminFactory(), name="Help desk",
                                         redirect_uris=REDIRECT, client_type="confidential")
    member = factories.UserFactory(display_name="Mia Member")
    context = browser.new_context(base_url=live_server.url, bypass_csp=True,
                                  viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    returned = []

    def the_app(route):
        returned.append(route.request.url)
        route.fulfill(status=200, body="The app got the code.", content_type="text/plain")

    page.route("https://desk.example.com/**", the_app)
    log_in(page, member)
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()
                                         ).rstrip(b"=").decode()
    page.goto(f"{reverse('oauth:authorize')}?" + urlencode({
        "response_type": "code", "client_id": app.client_id, "redirect_uri": REDIRECT,
        "scope": "read write moderate", "state": "s1", "code_challenge": challenge,
        "code_challenge_method": "S256"}))
    page.get_by_role("heading", name="Let “Help desk” use your account?").wait_for()
    assert page.get_by_text("Post, reply, edit your posts and vote, as you").is_visible()
    assert page.get_by_text("It also asked for what your role does not allow").is_visible()
    assert axe_serious(page, "consent") == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the consent page scrolls sideways at 390 px ({width} px)"
    _press_until(page, "Allow")
    page.keyboard.press("Enter")
    page.get_by_text("The app got the code.").wait_for()
    query = parse_qs(urlsplit(returned[-1]).query)
    assert query["state"] == ["s1"] and query["code"]

    page.goto(reverse("oauth_authorised"))
    page.get_by_role("heading", name="Authorised apps").wait_for()
    assert axe_serious(page, "authorised apps") == []
    # The grant made tokens only once the app exchanges the code; it is listed once it does.
    from django.test import Client

    token = Client().post(reverse("oauth:token"), {
        "grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": REDIRECT,
        "client_id": app.client_id, "client_secret": _secret, "code_verifier": verifier})
    assert token.status_code == 200
    page.reload()
    page.get_by_role("rowheader", name="Help desk").wait_for()
    page.get_by_role("link", name="Revoke").click()
    page.get_by_role("heading", name="Revoke “Help desk”?").wait_for()
    assert axe_serious(page, "revoke app") == []
    page.get_by_role("button", name="Revoke").click()
    page.get_by_text("can no longer act for you").wait_for()
    assert page.get_by_text("No apps").first.is_visible()
    context.close()


def test_an_admin_registers_an_app_and_sees_its_secret_once(browser, live_server, settings):
    _need(AXE)
    settings.ALLOWED_HOSTS = ["*"]
    admin = factories.AdminFactory(display_name="Ana Admin")
    context = browser.new_context(base_url=live_server.url, bypass_csp=True,
                                  viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, admin)
    page.goto(reverse("oauth_app_list"))
    assert axe_serious(page, "apps, empty") == []
    page.get_by_role("link", name="Register an app").first.click()
    page.get_by_label("Name").fill("Shop sync")
    page.get_by_label("Redirect URIs").fill("http://shop.example.com/cb")
    page.get_by_role("button", name="Register").click()
    page.get_by_text("use https://").first.wait_for()
    assert axe_serious(page, "app form, refused") == []
    page.get_by_label("Redirect URIs").fill("https://shop.example.com/cb")
    page.get_by_role("button", name="Register").click()
    page.get_by_role("heading", name="The client secret").wait_for()
    assert axe_serious(page, "app detail") == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the app page scrolls sideways at 390 px ({width} px)"
    page.reload()
    assert page.get_by_role("heading", name="The client secret").count() == 0
    context.close()
