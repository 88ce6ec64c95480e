"""On a phone, with the keyboard: mute a thread from its level menu (in place), pause
notifications for a week from the settings page, see the pause named in the header, and
end it. axe finds nothing serious on the thread page with the menu open or on the
settings page."""

import pytest

from community.models import Thread, ThreadFollow
from community.services import conversations
from tests import factories

from .conftest import log_in
from .test_accessibility import AXE, _need, axe_serious


def _fits(page, what):
    width = page.evaluate("() => [document.documentElement.scrollWidth, "
                          "document.documentElement.clientWidth]")
    assert width[0] <= width[1] + 1, f"{what} is {width[0]}px wide at 390px"


@pytest.mark.django_db(transaction=True)
def test_mute_a_thread_and_pause_for_a_week_on_a_phone_with_the_keyboard(browser, live_server,
                                                                          settings):
    _need(AXE)
    settings.ALLOWED_HOSTS = ["*"]
    space = factories.SpaceFactory(name="Fermentation")
    member = factories.UserFactory(display_name="Mo Member")
    thread = conversations.thread_create(
        author=factories.UserFactory(), space=space, kind=Thread.Kind.DISCUSSION,
        title="Cider that smells of eggs", body="Sulphur, four days in.")
    context = browser.new_context(base_url=live_server.url, bypass_csp=True,
                                  viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in(page, member)
        page.goto(thread.get_absolute_url())
        summary = page.locator(".level-menu > summary")
        summary.focus()
        page.keyboard.press("Enter")  # the menu opens
        muted = page.get_by_role("button", name="Muted")
        muted.wait_for()
        _fits(page, "the thread page with the level menu open")
        problems = axe_serious(page, "thread with level menu")
        muted.focus()
        page.keyboard.press("Enter")
        page.locator(".level-menu summary", has_text="Muted").wait_for()
        assert page.url.endswith(thread.get_absolute_url())  # in place: no reload
        assert ThreadFollow.objects.get(user=member, thread=thread).level == "muted"

        page.goto("/settings/notifications/")
        page.get_by_role("link", name="Cider that smells of eggs").wait_for()
        page.get_by_label("1 week").check()
        page.get_by_role("button", name="Pause notifications").press("Enter")
        pause = page.locator(".notice-pause")
        pause.get_by_text("Your notifications are paused until").wait_for()
        assert page.locator(".nav-paused").count() == 1  # the header menu names it too
        _fits(page, "the settings page, paused")
        problems += axe_serious(page, "notification settings, paused")
        pause.get_by_role("button", name="End pause now").press("Enter")
        page.get_by_text("Your notifications are back on.").wait_for()
        assert page.locator(".nav-paused").count() == 0
        assert problems == []
    finally:
        context.close()
