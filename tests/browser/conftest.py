"""Headless Chromium through Playwright, against pytest-django's live server.

Debian's ``/usr/bin/chromium`` is used (never ``playwright install``). Without it the browser
journeys are skipped, unless ``REQUIRE_BROWSER=1`` (CI), where a missing browser fails.
"""
import os
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
# test itself (reading the outbox's users, say) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server, request, settings):
    """A fresh browser context per test; records every host the page talks to.

    The robot types faster than any person: the minimum fill time of forms is off here (its
    own tests are in ``test_moderation.py``)."""
    from community.models import CommunitySettings

    settings.ALLOWED_HOSTS = ["*"]
    robot_speed = CommunitySettings.get()
    robot_speed.min_fill_seconds = 0
    robot_speed.save()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.requested_hosts = set()
    tab.on("request", lambda req: tab.requested_hosts.add(urlparse(req.url).netloc))
    yield tab
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        tab.screenshot(path=f"/tmp/{request.node.name}.png", full_page=True)
    context.close()


@pytest.fixture(autouse=True)
def settle_browser(request, transactional_db):
    """After each journey, and before its database is flushed: every browser context closed
    (the test's own and any second person's) and every request the live server was still
    answering finished. A page's debounced draft save or a reconnecting stream otherwise
    writes into the tables while they are being truncated, and PostgreSQL breaks the
    deadlock by failing the flush."""
    yield
    if "browser" not in request.fixturenames:
        return
    for context in list(request.getfixturevalue("browser").contexts):
        context.close()
    deadline = time.monotonic() + 15
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name and thread is not threading.current_thread():
            thread.join(timeout=max(0.0, deadline - time.monotonic()))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


def log_in(page, user, password: str | None = None) -> None:
    """Sign in through the real form, as a person would."""
    import re

    from tests import factories

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password or factories.PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    # Signed in: their name is in the header (inside the folded menu on a phone).
    page.get_by_role("navigation", name="Main").get_by_text(user.name).wait_for(state="attached")


def signed_in_tab(browser, live_server, user):
    """A second person at the same time: their own browser context, signed in."""
    tab = browser.new_context(base_url=live_server.url).new_page()
    tab.set_default_timeout(10_000)
    log_in(tab, user)
    return tab


def only_own_host(page, live_server) -> None:
    own = urlparse(live_server.url).netloc
    others = {h for h in page.requested_hosts if h and h != own}
    assert not others, f"the page loaded from other hosts: {others}"
