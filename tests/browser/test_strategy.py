"""The strategy and growth pages in a real browser at 390 px, light and dark: no serious or
critical axe violation, nothing sticks out sideways, the charts' words stay legible and each
chart is an image with a name (its figures also a table)."""
from datetime import timedelta

import pytest
from django.utils import timezone

from community.host.strategy import services as strategy
from community.models import Invitation, Thread
from community.services import conversations as svc
from tests import factories

from .conftest import log_in
from .test_accessibility import AXE, OVERFLOW, _need, axe_serious

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = ("/host/strategy/", "/host/strategy/worksheet/", "/host/strategy/initiatives/new/",
         "/host/growth/")


@pytest.fixture
def host_with_initiatives(db):
    space, host = factories.SpaceFactory(), factories.HostFactory()
    a, b = factories.UserFactory(), factories.UserFactory()
    now = timezone.now()
    today = now.date()
    launch = svc.thread_create(author=host, space=space, kind=Thread.Kind.ANNOUNCEMENT,
                               title="The copper kettle is here", body="Tell us.",
                               created_at=now - timedelta(days=3))
    first = svc.post_create(author=a, thread=launch, body="Lovely",
                            created_at=now - timedelta(days=2))
    svc.post_create(author=b, thread=launch, body="Agreed", parent=first,
                    created_at=now - timedelta(days=1))
    Invitation.objects.create(inviter=a, email="friend@example.com")
    for n, placed in enumerate((5, 1, 3)):
        strategy.initiative_create(
            host=host, name=f"A rather long initiative name number {n} for phones",
            owner="Marketing", starts_on=today - timedelta(days=5), ends_on=today,
            channel="email", placed=placed, thread=launch if n < 2 else None)
    return host


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_strategy_and_growth_at_390_px(browser, live_server, settings, host_with_initiatives,
                                       scheme):
    _need(AXE)
    settings.ALLOWED_HOSTS = ["*"]
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, host_with_initiatives)
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 390, "height": 844})
    problems = []
    for path in PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        problems += axe_serious(page, path)
        fit = page.evaluate(OVERFLOW)
        if fit["scroll"] > fit["width"] + 1:
            problems.append(f"{path}: {fit['scroll']}px wide at 390px: {fit['wide']}")
    assert not problems, "\n".join(problems)

    page.goto("/host/strategy/")
    chart = page.get_by_role("img", name="Each initiative: where you placed it and where it "
                                          "landed, from push (left) to pull (right)")
    assert chart.is_visible() and chart.bounding_box()["width"] <= 390
    assert chart.locator("text.row-label").first.bounding_box()["height"] >= 11
    assert page.get_by_text("members answered the brand 1 time and each other 1 time").first \
        .is_visible()
    page.goto("/host/growth/")
    joined = page.get_by_role("img", name="New members per week")
    assert joined.is_visible() and joined.bounding_box()["width"] <= 390
    assert joined.locator("text.scale").first.bounding_box()["height"] >= 9
    region = page.get_by_role("region", name="Cohort table, scrolls sideways on small screens")
    region.focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith(
        "Cohort table")
    context.close()
