"""Screenshots of the key pages, as people see them: 1366 px and 390 px wide, light and
dark, into ``SCREENS_DIR`` (default ``bench/results/screens/``, not committed; CI keeps it).

On the demo community, each page as its usual visitor: a reader for the public pages, a
member for their home, the ask form and their notifications, a host for the host tools.
The test also checks each page answered 200 and drew its header, so a broken page cannot
hide behind a picture.
"""
import os
import re
from pathlib import Path

from django.urls import reverse

from community.demo.data import DEMO_PASSWORD

from .conftest import log_in
from .test_accessibility import demo  # noqa: F401  (the seeded demo community)

ROOT = Path(__file__).resolve().parents[2]
SIZES = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}
SCHEMES = ("light", "dark")


def screens_dir() -> Path:
    path = Path(os.environ.get("SCREENS_DIR") or ROOT / "bench" / "results" / "screens")
    path.mkdir(parents=True, exist_ok=True)
    return path


def key_pages(demo):  # noqa: F811
    """(name, path, who): the fourteen pages a new member meets first."""
    return [
        ("home-anonymous", reverse("home"), None),
        ("home-member", reverse("home"), "member"),
        ("thread", demo["question"].get_absolute_url(), None),
        ("ask", reverse("ask"), "member"),
        ("space", reverse("space", args=[demo["space"].slug]), None),
        ("search", reverse("search") + "?q=yeast", None),
        ("profile", reverse("profile", args=[demo["member"].username]), None),
        ("sign-in", reverse("account_login"), None),
        ("sign-up", reverse("account_signup"), None),
        ("notifications", reverse("notifications"), "member"),
        ("host-dashboard", reverse("host_dashboard"), "host"),
        ("review-queue", reverse("review_queue"), "host"),
        ("project", reverse("purpose:project", args=[demo["project"].slug]), None),
        ("partner", reverse("partners:organisation", args=[demo["organisation"].slug]), None),
    ]


# Not among the fourteen: where the components are seen side by side in both themes, and
# the tags a reader browses by (a member's view of one, with its Follow button).
EXTRA = [("style-guide", "/host/style/", "host"), ("tags", "/tags/", None),
         ("tag", "/tags/yeast/", "member")]


def test_screenshots_of_the_key_pages_in_both_themes_and_widths(browser, live_server, demo,  # noqa: F811
                                                                settings):
    settings.ALLOWED_HOSTS = ["*"]
    out = screens_dir()
    # Sign each person in once, through the real form, and reuse their cookies.
    states = {None: None}
    for who in ("member", "host"):
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(10_000)
        log_in(context.new_page(), demo[who], DEMO_PASSWORD)
        states[who] = context.storage_state()
        context.close()
    taken = []
    for size, viewport in SIZES.items():
        for scheme in SCHEMES:
            contexts = {}
            for name, path, who in key_pages(demo) + EXTRA:
                if who not in contexts:
                    contexts[who] = browser.new_context(
                        base_url=live_server.url, viewport=viewport, color_scheme=scheme,
                        storage_state=states[who])
                    contexts[who].set_default_timeout(10_000)
                page = contexts[who].new_page()
                response = page.goto(path)
                assert response.status == 200, (name, response.status)
                page.locator("header.site-header").wait_for()
                shot = out / f"{name}-{size}-{scheme}.png"
                page.screenshot(path=str(shot), full_page=True)
                taken.append(shot)
                if name == "home-member" and size == "390":
                    # The compact menu, opened, as a member sees it on a phone.
                    page.get_by_role("button", name="Open menu").click()
                    page.locator("#site-menu").get_by_role("link", name="Settings").wait_for()
                    page.screenshot(path=str(out / f"menu-open-390-{scheme}.png"))
                page.close()
            for context in contexts.values():
                context.close()
    assert len(taken) == (14 + len(EXTRA)) * 2 * 2
    assert all(shot.stat().st_size > 5_000 for shot in taken)
    print(f"\nscreenshots: {len(taken)} in {out}")
    names = {re.sub(r"-(1366|390)-(light|dark)\.png$", "", s.name) for s in taken}
    assert len(names) == 14 + len(EXTRA)
