"""Listening in a real browser at 390 px, light and dark: the map, the human-touch queue
and the digest have no serious or critical axe violation and nothing sticks out sideways;
the map's words stay legible, its marks are links a keyboard reaches, and Answered then
Undo work in place (htmx)."""
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from community.engine import engagement
from community.models import PostSignal, Product, Thread, User
from community.services import conversations as svc
from tests import factories

from .conftest import log_in
from .test_accessibility import AXE, OVERFLOW, _need, axe_serious

pytestmark = pytest.mark.django_db(transaction=True)
SCREENS = Path(os.environ.get("SCREENS_DIR", Path(django_settings.BASE_DIR) / "bench" /
                              "results" / "screens"))


@pytest.fixture
def listened(db, settings):
    settings.BRAND = {**settings.BRAND, "name": "Acme"}
    Product.objects.create(sku="SUM-30", name="Summit kettle", slug="summit", line="Summit")
    space, host = factories.SpaceFactory(name="Kettles"), factories.HostFactory()
    voices = [("Fran Fan", "I love my Acme kettle, it is wonderful.", 40),
              ("Cris Critic", "The Summit kettle is awful and broke.", 12),
              ("Nell Neutral", "My Acme kettle holds 30 litres.", 3),
              ("Gail Grumble", "great, another firmware update that bricks my kettle 🙂", 0)]
    for name, body, _help in voices:
        author = factories.UserFactory(display_name=name)
        svc.thread_create(author=author, space=space, kind=Thread.Kind.QUESTION,
                          title=f"{name} on kettles", body=body)
    import datetime

    from django.utils import timezone

    from community.host.listening import selectors, services

    last_week = timezone.make_aware(datetime.datetime.combine(
        selectors.last_full_week() + datetime.timedelta(days=2), datetime.time(10)))
    svc.thread_create(author=factories.UserFactory(), space=space, kind=Thread.Kind.QUESTION,
                      title="Does the Summit lid fit the 40 litre pot?", body="Anyone?",
                      tags=["lids"], created_at=last_week)
    services.search_miss_record(words=["glycol", "chiller", "jacket"], now=last_week)
    engagement.process_pending()
    for name, _body, help_given in voices:
        User.objects.filter(display_name=name).update(peer_help=help_given)
    return host


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_listening_pages_at_390_px(browser, live_server, settings, listened, scheme):
    _need(AXE)
    settings.ALLOWED_HOSTS = ["*"]
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, listened)
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 390, "height": 844})
    SCREENS.mkdir(parents=True, exist_ok=True)
    problems = []
    for name, path in (("map", "/host/listening/"), ("touch", "/host/listening/touch/"),
                       ("digest", "/host/listening/digest/")):
        response = page.goto(path)
        assert response.status == 200
        page.screenshot(path=str(SCREENS / f"listening-{name}-390-{scheme}.png"),
                        full_page=True)
        problems += axe_serious(page, path)
        fit = page.evaluate(OVERFLOW)
        if fit["scroll"] > fit["width"] + 1:
            problems.append(f"{path}: {fit['scroll']}px wide at 390px: {fit['wide']}")
    assert not problems, "\n".join(problems)
    page.goto("/host/listening/digest/")
    assert page.get_by_text("glycol chiller jacket").is_visible()

    page.goto("/host/listening/")
    chart = page.get_by_role("group", name="Advocates and detractors: help given against tone "
                                          "about the brand")
    assert chart.is_visible() and chart.bounding_box()["width"] <= 390
    assert chart.locator("text.map-label").first.bounding_box()["height"] >= 11
    assert page.get_by_role("cell", name="12").first.is_visible()  # the table, not hidden
    critic = chart.locator("a.map-critical").first
    critic.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/host/listening/members/**")
    assert page.get_by_text("Cris Critic on kettles").is_visible()

    page.goto("/host/listening/touch/")
    signal = PostSignal.objects.get(sarcasm=True)
    item = page.locator(f"#touch-{signal.post_id}")
    assert "bricks my kettle" in item.inner_text()
    item.get_by_role("button", name="Answered").click()
    item.get_by_role("button", name="Undo").click()
    item.get_by_role("button", name="Dismiss").wait_for()
    signal.refresh_from_db()
    assert signal.touch == "open"
    context.close()
