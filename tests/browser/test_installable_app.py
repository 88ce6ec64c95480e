"""The installable app in headless Chromium: the manifest is linked and valid, the service
worker registers for the whole site, a page read online is kept, and with the browser
offline the offline page says so and lists it (axe-clean); signing out forgets it.

Headless Chromium cannot subscribe to a real push service (it has none to talk to), so
delivery is tested in Python against the push-service stand-in
(``tests/community/test_push.py``).
"""
from django.urls import reverse

from community.models import Thread
from community.services import conversations

from .. import factories
from .conftest import log_in
from .test_accessibility import AXE, _need, axe_serious

KEPT = "() => caches.open('gravity-pages').then(c => c.keys()).then(k => k.map(r => r.url))"


def test_the_site_installs_works_offline_and_forgets_on_sign_out(browser, live_server,
                                                                  settings):
    _need(AXE)
    settings.ALLOWED_HOSTS = ["*"]
    member = factories.UserFactory(username="reader")
    space = factories.SpaceFactory(name="Brewing")
    thread = conversations.thread_create(author=member, space=space,
                                         kind=Thread.Kind.DISCUSSION,
                                         title="Dry hopping in the keg", body="Worth it?")
    context = browser.new_context(base_url=live_server.url, bypass_csp=True,
                                  viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in(page, member)
        page.goto("/")
        href = page.locator("link[rel=manifest]").get_attribute("href")
        assert href == reverse("web_manifest")
        manifest = page.request.get(href).json()
        assert manifest["display"] == "standalone" and manifest["name"] == settings.SITE_NAME
        for icon in manifest["icons"]:
            assert page.request.get(icon["src"]).headers["content-type"] == "image/png"
        scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
        assert scope == live_server.url + "/"
        page.wait_for_function("navigator.serviceWorker.controller !== null")

        page.goto(thread.get_absolute_url())
        page.wait_for_function(f"({KEPT})().then(urls => urls.some(u => u.includes("
                               f"'{thread.get_absolute_url()}')))")
        assert not any("/accounts/" in url or "/settings/" in url for url in page.evaluate(KEPT))

        context.set_offline(True)
        page.goto(reverse("search") + "?q=keg")  # never read: the offline page instead
        page.get_by_role("heading", name="You are offline").wait_for()
        page.get_by_role("link", name="Dry hopping in the keg").wait_for()
        assert axe_serious(page, "offline page") == []
        page.get_by_role("link", name="Dry hopping in the keg").click()
        page.get_by_role("heading", name="Dry hopping in the keg").wait_for()

        context.set_offline(False)
        page.goto(reverse("notification_settings"))
        with page.expect_navigation():  # the header's sign-out form (folded on a phone)
            page.locator("form[action='/accounts/logout/']").first.evaluate(
                "form => form.requestSubmit()")
        kept = page.evaluate(KEPT)  # at most the home page the sign-out led to, anonymous
        assert not any(thread.get_absolute_url() in url for url in kept), kept
    finally:
        context.close()
