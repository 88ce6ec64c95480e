"""The host dashboard in a real browser at 390 px, light and dark: no serious or critical
axe violation with figures, a chart and a refused range; nothing sticks out sideways; the
chart's words stay legible; its table opens from the keyboard."""
from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import Thread
from community.services import conversations as svc
from tests import factories

from .conftest import log_in
from .test_accessibility import AXE, OVERFLOW, _need, axe_serious

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def host_with_history(db):
    space, host = factories.SpaceFactory(), factories.HostFactory()
    a, b = factories.UserFactory(), factories.UserFactory()
    now = timezone.now()
    for days in (2, 9, 40):
        thread = svc.thread_create(author=a, space=space, kind=Thread.Kind.DISCUSSION,
                                   title=f"Brewing {days}", body="?",
                                   created_at=now - timedelta(days=days))
        for who in (b, host):
            svc.post_create(author=who, thread=thread, body="!",
                            created_at=thread.created_at + timedelta(hours=1))
        svc.vote_cast(voter=b, post=thread.posts.first(), kind="like")
    return host


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_dashboard_at_390_px(browser, live_server, settings, host_with_history, scheme):
    _need(AXE)
    settings.ALLOWED_HOSTS = ["*"]
    # CSP would refuse the injected axe script: this context alone bypasses it.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, host_with_history)
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 390, "height": 844})
    problems = []
    for query in ("?days=7", "?since=2026-11-20&until=2026-11-01"):
        response = page.goto("/host/" + query)
        assert response.status == 200
        problems += axe_serious(page, query)
        fit = page.evaluate(OVERFLOW)
        if fit["scroll"] > fit["width"] + 1:
            problems.append(f"{query}: {fit['scroll']}px wide at 390px: {fit['wide']}")
    assert not problems, "\n".join(problems)

    page.goto("/host/?days=30")
    assert page.get_by_text("previous 30 days").first.is_visible()
    chart = page.get_by_role("img", name="Engagement mix: actions by members in this period")
    assert chart.is_visible()
    label = chart.locator("text.bar-label").first
    assert label.bounding_box()["height"] >= 11  # about 14 px on a phone: legible
    assert chart.bounding_box()["width"] <= 390
    summary = page.get_by_text("The figures as a table").first
    summary.focus()
    page.keyboard.press("Enter")
    opened = page.locator("details.chart-table").first
    assert opened.get_by_role("row", name="Conversation").is_visible()
    context.close()
