"""The design as a person meets it in a browser: the header is one short row on a phone,
its menu opens and closes from the keyboard (and without JavaScript), the bell's count sits
beside the bell, the home tabs stay on one row, every button looks like one, "Leave
project" is not the main call to action, and the theme a member picks is kept."""
import re

import pytest

from community.services import conversations
from purpose import services as purpose_services
from tests import factories

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
BROWSER_GREY = {"rgb(239, 239, 239)", "rgb(240, 240, 240)", "buttonface"}


def _header(page):
    return page.evaluate("""() => {
      const header = document.querySelector('header.site-header').getBoundingClientRect();
      const parts = '.brand, .site-search, .bell, .menu-toggle';
      const tops = [...document.querySelector('.site-header').querySelectorAll(parts)]
        .map(el => el.getBoundingClientRect()).filter(box => box.width > 0)
        .map(box => Math.round(box.top + box.height / 2));
      return {height: header.height, middles: tops};
    }""")


@pytest.fixture
def member_with_news(db):
    """A member whose question has two replies they have not read yet."""
    member = factories.UserFactory(display_name="Nora Newsome")
    thread = conversations.thread_create(author=member, space=factories.SpaceFactory(),
                                         kind="question", title="Which hops for a porter?",
                                         body="Advice please.")
    for name in ("Rhea Replier", "Sam Second"):
        conversations.post_create(author=factories.UserFactory(display_name=name), thread=thread,
                                  body="Try Fuggles, they suit a porter.")
    return member


def test_the_header_is_one_row_of_at_most_64px_on_a_phone(page, member_with_news):
    log_in(page, member_with_news)
    page.set_viewport_size(PHONE)
    page.reload()
    measured = _header(page)
    assert measured["height"] <= 64, f"header is {measured['height']}px tall at 390px"
    assert len(measured["middles"]) == 4, measured  # logo, search, bell, menu button
    assert max(measured["middles"]) - min(measured["middles"]) <= 4, measured
    assert page.get_by_role("searchbox", name="Search the community").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("width", [1100, 1366, 1600])
def test_a_hosts_long_header_stays_one_row_with_room_to_type_a_search(page, width):
    host = factories.HostFactory(display_name="Hana Longname-Okafor")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, host)
    measured = _header(page)
    assert measured["height"] <= 64, f"header is {measured['height']}px tall at {width}px"
    box = page.get_by_role("searchbox", name="Search the community").bounding_box()
    assert box["width"] >= 120, f"the search field is {box['width']}px wide at {width}px"
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_compact_menu_opens_and_closes_from_the_keyboard(page, member_with_news):
    log_in(page, member_with_news)
    page.set_viewport_size(PHONE)
    page.reload()
    toggle = page.locator("button.menu-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.get_attribute("aria-controls") == "site-menu"
    ask = page.locator("#site-menu").get_by_role("link", name="Ask", exact=True)
    assert not ask.is_visible()
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert ask.is_visible()
    assert page.evaluate("document.activeElement.closest('#site-menu') !== null"), \
        "the focus moves into the opened menu"
    assert page.locator("#site-menu").get_by_role("button", name="Log out").is_visible()
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not ask.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('menu-toggle')"), \
        "Escape gives the focus back to the menu button"
    # The links open where they lead.
    toggle.click()
    page.locator("#site-menu").get_by_role("link", name="Projects").click()
    page.wait_for_url("**/projects/")


def test_without_javascript_the_menu_links_are_reachable_on_a_phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE,
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    assert _header(page)["height"] <= 64
    projects = page.locator("#site-menu").get_by_role("link", name="Projects")
    assert not projects.is_visible()
    page.get_by_role("link", name="Menu").click()
    assert projects.is_visible()
    assert page.locator("#site-menu").get_by_role("link", name="Log in").is_visible()
    context.close()


def test_the_bells_count_is_readable_and_does_not_cover_the_bell(page, member_with_news):
    log_in(page, member_with_news)
    for viewport in ({"width": 1366, "height": 900}, PHONE):
        page.set_viewport_size(viewport)
        page.reload()
        badge = page.locator(".bell-count")
        assert badge.inner_text() == "2"
        found = page.evaluate("""() => {
          const bell = document.querySelector('.bell svg').getBoundingClientRect();
          const count = document.querySelector('.bell-count');
          const box = count.getBoundingClientRect();
          const w = Math.max(0, Math.min(bell.right, box.right) - Math.max(bell.left, box.left));
          const h = Math.max(0, Math.min(bell.bottom, box.bottom) - Math.max(bell.top, box.top));
          return {covered: w * h / (bell.width * bell.height),
                  font: parseFloat(getComputedStyle(count).fontSize)};
        }""")
        assert found["covered"] <= 0.15, (viewport, found)
        assert found["font"] >= 11, found
    assert page.get_by_role("link", name="Notifications, 2 unread").is_visible()


def test_the_home_tabs_stay_on_one_row_on_a_phone(page, member_with_news):
    page.set_viewport_size(PHONE)
    page.goto("/")
    tops = page.evaluate("[...document.querySelectorAll('.tabs a')]"
                         ".map(a => Math.round(a.getBoundingClientRect().top))")
    assert len(tops) == 4 and len(set(tops)) == 1, tops
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


BUTTONS = """() => [...document.querySelectorAll(
    'main button, main input[type=submit], header button')]
  .filter(b => b.getBoundingClientRect().width > 0)
  .map(b => { const s = getComputedStyle(b);
    return {text: b.innerText.trim() || b.getAttribute('aria-label'), bg: s.backgroundColor,
            radius: parseFloat(s.borderTopLeftRadius), border: s.borderTopStyle,
            height: b.getBoundingClientRect().height, font: s.fontFamily}; })"""


def _looks_designed(button):
    """Not the browser's grey default: our font, rounded, at least 32 px tall (a quiet icon
    button, such as the header's search, is transparent on purpose)."""
    return button["bg"] not in BROWSER_GREY and button["radius"] >= 4 \
        and button["height"] >= 32 and "system-ui" in button["font"]


def test_every_button_on_sign_in_sign_up_and_a_thread_looks_like_a_button(page, live_server):
    author = factories.UserFactory()
    thread = conversations.thread_create(author=author, space=factories.SpaceFactory(),
                                         kind="question", title="Is a wort chiller worth it?",
                                         body="Advice please.")
    conversations.post_create(author=factories.UserFactory(), thread=thread,
                              body="Yes, it saves an hour.")
    plain = []
    for path in ("/accounts/login/", "/accounts/signup/"):
        page.goto(path)
        plain += [(path, b) for b in page.evaluate(BUTTONS) if not _looks_designed(b)]
    log_in(page, author)
    page.goto(thread.get_absolute_url())
    buttons = page.evaluate(BUTTONS)
    plain += [("thread", b) for b in buttons if not _looks_designed(b)]
    assert not plain, plain
    accept = page.get_by_role("button", name="Accept this answer")
    style = accept.evaluate("b => { const s = getComputedStyle(b); return {border: "
                            "s.borderTopStyle, radius: parseFloat(s.borderTopLeftRadius), "
                            "padding: parseFloat(s.paddingLeft)}; }")
    assert style["border"] == "solid" and style["radius"] >= 4 and style["padding"] >= 8, style
    # Sign out is a button of the system too (quiet, in the menu).
    assert "link-button" in page.get_by_role("button", name="Log out").get_attribute("class")


def test_leave_project_is_not_drawn_as_the_main_call_to_action(page, live_server):
    lead, host, member = factories.UserFactory(), factories.HostFactory(), factories.UserFactory()
    project = purpose_services.project_propose(author=lead, title="Harvest ale", goal="One brew.",
                                               description="Same hops.",
                                               space=factories.SpaceFactory())
    purpose_services.project_status_set(actor=host, project=project, to_status="open")
    purpose_services.project_join(user=member, project=project)
    log_in(page, member)
    page.goto(f"/projects/{project.slug}/")
    leave = page.get_by_role("button", name="Leave project")
    accent = page.evaluate("""() => { const probe = document.createElement('span');
      probe.style.backgroundColor = 'var(--accent)'; document.body.append(probe);
      const colour = getComputedStyle(probe).backgroundColor; probe.remove(); return colour; }""")
    leave_bg = leave.evaluate("b => getComputedStyle(b).backgroundColor")
    assert leave_bg != accent, (leave_bg, accent)
    assert leave.evaluate("b => getComputedStyle(b).borderTopStyle") == "solid"


def _background(page):
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_the_chosen_theme_is_kept_and_the_system_setting_is_followed_without_it(browser,
                                                                               live_server):
    context = browser.new_context(base_url=live_server.url, color_scheme="light")
    page = context.new_page()
    page.goto("/")
    light = _background(page)
    page.get_by_role("button", name="Dark").click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    dark = _background(page)
    assert dark != light
    assert page.get_by_role("button", name="Dark").get_attribute("aria-pressed") == "true"
    # Kept on the next page, set before the first paint (no white flash): the attribute is
    # there as soon as the document exists, before any deferred script ran.
    page.goto("/search/", wait_until="commit")
    page.wait_for_selector("body")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    page.wait_for_load_state()
    assert _background(page) == dark
    page.get_by_role("button", name="System").click()
    assert page.evaluate("document.documentElement.dataset.theme") is None
    assert _background(page) == light
    context.close()
    # Without JavaScript a dark system setting gives the dark theme, and no switch is shown.
    context = browser.new_context(base_url=live_server.url, color_scheme="dark",
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    assert _background(page) == dark
    assert not page.get_by_role("button", name="Dark").is_visible()
    context.close()


def test_the_header_search_field_sends_a_search(page, live_server):
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.get_by_role("searchbox", name="Search the community").fill("yeast")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r".*/search/\?q=yeast"))


def test_cards_have_no_empty_band_above_their_heading_and_chips_sit_on_the_line(page,
                                                                               live_server):
    lead, host = factories.UserFactory(display_name="Lena Lead"), factories.HostFactory()
    project = purpose_services.project_propose(author=lead, title="Harvest ale", goal="One brew.",
                                               description="Same hops.",
                                               space=factories.SpaceFactory())
    purpose_services.project_status_set(actor=host, project=project, to_status="open")
    conversations.thread_create(author=lead, space=factories.SpaceFactory(), kind="question",
                                title="Which yeast for a tripel?", body="Advice please.")
    bands = []
    for path in ("/", f"/projects/{project.slug}/"):
        page.goto(path)
        bands += page.evaluate("""() => [...document.querySelectorAll('.card')].flatMap(card => {
          const first = card.firstElementChild;
          if (!first || !/^H[1-6]$/.test(first.tagName)) return [];
          const pad = parseFloat(getComputedStyle(card).paddingTop);
          const gap = first.getBoundingClientRect().top - card.getBoundingClientRect().top;
          return gap > pad + 3 ? [first.innerText + ': ' + Math.round(gap - pad) + 'px'] : [];
        })""")
    assert not bands, f"empty bands above card headings: {bands}"
    # The "Lead" chip beside a person: its own height, centred on the name's line.
    chip = page.evaluate("""() => {
      const badge = [...document.querySelectorAll('.member-list-compact .badge')]
        .find(b => b.innerText === 'Lead');
      const name = badge.parentElement.querySelector('a').getBoundingClientRect();
      const box = badge.getBoundingClientRect();
      return {height: box.height, offset: Math.abs((box.top + box.bottom) / 2
                                                   - (name.top + name.bottom) / 2)};
    }""")
    assert chip["height"] <= 26 and chip["offset"] <= 3, chip


def test_buttons_side_by_side_never_touch(page, live_server):
    """The change-email page lays its three buttons side by side (allauth's markup)."""
    from allauth.account.models import EmailAddress

    member = factories.UserFactory()
    EmailAddress.objects.create(user=member, email="second@example.com", verified=False)
    log_in(page, member)
    page.goto("/accounts/email/")
    touching = page.evaluate("""() => {
      const buttons = [...document.querySelectorAll('main button, main .button')]
        .filter(b => b.getBoundingClientRect().width > 0);
      const bad = [];
      for (let i = 0; i + 1 < buttons.length; i++) {
        const a = buttons[i].getBoundingClientRect(), b = buttons[i + 1].getBoundingClientRect();
        const sameRow = Math.abs(a.top - b.top) < 4;
        if (sameRow && b.left >= a.left && b.left - a.right < 6) {
          bad.push(buttons[i].innerText + ' | ' + buttons[i + 1].innerText);
        }
      }
      return {count: buttons.length, bad};
    }""")
    assert touching["count"] >= 3, touching
    assert not touching["bad"], touching
