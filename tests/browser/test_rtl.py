"""The home, a thread and the ask page in Arabic: written right to left, laid out as a
mirror of the English pages, axe-clean, and kept as screenshots in ``SCREENS_DIR``
(``ar-rtl-<page>-<width>.png``) beside the other key pages'.

The browser asks for Arabic (its locale sends ``Accept-Language: ar``); the member signs in
through the English form and then reads the site in the language their browser asks for.
"""
from django.urls import reverse

from community.demo.data import DEMO_PASSWORD

from .conftest import log_in
from .test_accessibility import (
    AXE,
    _need,
    axe_serious,
    demo,  # noqa: F401  (the seeded demo community)
)
from .test_screens import SIZES, screens_dir

# Where things sit: the brand at the reading start (the right in Arabic), the main column
# before the side column, and the text aligned to the start.
LAYOUT = """() => {
  const width = document.documentElement.clientWidth;
  const brand = document.querySelector(".site-header .brand").getBoundingClientRect();
  const main = document.querySelector(".layout-main");
  const side = document.querySelector(".layout-side");
  return {
    dir: document.documentElement.dir, lang: document.documentElement.lang,
    direction: getComputedStyle(document.body).direction,
    brandRight: brand.right, brandLeft: brand.left, width,
    mainRight: main ? main.getBoundingClientRect().right : null,
    sideRight: side && side.offsetParent ? side.getBoundingClientRect().right : null,
  };
}"""


def test_home_thread_and_ask_in_arabic_mirror_and_pass_axe(browser, live_server, demo,  # noqa: F811
                                                           settings):
    _need(AXE)
    settings.ALLOWED_HOSTS = ["*"]
    signing_in = browser.new_context(base_url=live_server.url)
    signing_in.set_default_timeout(10_000)
    log_in(signing_in.new_page(), demo["member"], DEMO_PASSWORD)
    member_state = signing_in.storage_state()
    signing_in.close()
    pages = [
        ("home", reverse("home"), None, "مجتمع"),
        ("thread", demo["question"].get_absolute_url(), None, "انضم إلى المحادثة"),
        ("ask", reverse("ask"), member_state, "اسأل المجتمع"),
    ]
    out, problems, taken = screens_dir(), [], []
    for size, viewport in SIZES.items():
        for name, path, state, words in pages:
            # CSP would refuse the injected axe script: this context alone bypasses it.
            context = browser.new_context(base_url=live_server.url, viewport=viewport,
                                          locale="ar", bypass_csp=True, storage_state=state)
            context.set_default_timeout(10_000)
            page = context.new_page()
            response = page.goto(path)
            assert response.status == 200, (name, response.status)
            page.locator("header.site-header").wait_for()
            layout = page.evaluate(LAYOUT)
            assert (layout["dir"], layout["lang"], layout["direction"]) == ("rtl", "ar", "rtl")
            assert words in page.content(), f"{name}: not in Arabic"
            # The brand starts the header at the right edge, as English starts it at the left.
            assert layout["brandRight"] > layout["width"] * 0.75, (name, size, layout)
            if size == "1366" and layout["sideRight"] is not None:
                assert layout["mainRight"] > layout["sideRight"], (name, "main column on the left")
            problems += axe_serious(page, f"{name} ({size})")
            shot = out / f"ar-rtl-{name}-{size}.png"
            page.screenshot(path=str(shot), full_page=True)
            taken.append(shot)
            context.close()
    assert not problems, "\n".join(problems)
    assert len(taken) == len(pages) * len(SIZES)
    assert all(shot.stat().st_size > 5_000 for shot in taken)
