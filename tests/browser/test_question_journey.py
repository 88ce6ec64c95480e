"""Member A asks, sees similar questions while typing; B answers; A accepts; it shows solved."""
import re

from playwright.sync_api import expect

from community.models import Thread
from community.services import conversations
from tests import factories

from .conftest import log_in as _log_in
from .conftest import only_own_host


def test_ask_answer_accept_solved(page, live_server, browser):
    space = factories.SpaceFactory(name="Fermentation")
    asker = factories.UserFactory(display_name="Asha Asker")
    helper = factories.UserFactory(display_name="Hugo Helper")
    conversations.thread_create(
        author=factories.UserFactory(), space=space, kind=Thread.Kind.QUESTION,
        title="Fermentation stuck at 1.020 after two days", body="Help?",
    )

    _log_in(page, asker)
    page.get_by_role("link", name="Ask", exact=True).click()
    page.get_by_label("Space").select_option(label="Fermentation")
    page.get_by_label("Your question").press_sequentially("Is my fermentation stuck", delay=20)
    similar = page.locator("#similar")
    similar.get_by_role("link", name=re.compile("Fermentation stuck at 1.020")).wait_for()
    page.get_by_label("Your question").fill("Is my fermentation stuck at 1.030?")
    page.get_by_label("Details").fill("Started at 1.060 four days ago. Smart Fermenter at 18 °C.")
    page.get_by_label("Tags").fill("yeast, fermentation")
    page.get_by_role("button", name="Post your question").click()
    page.get_by_text("Your question is up.").wait_for()
    question_url = page.url

    other = browser.new_context(base_url=live_server.url).new_page()
    _log_in(other, helper)
    other.goto(question_url)
    other.get_by_label("Your reply").fill("Give it a week and raise it to 20 °C.")
    other.get_by_role("button", name="Post your answer").click()
    other.get_by_text("Your answer is posted.").wait_for()
    other.context.close()

    page.goto("/")  # (reloading the question itself would read its notice)
    page.get_by_role("link", name="Notifications, 1 unread").click()
    page.get_by_role("link", name=re.compile("Hugo Helper\\W* answered your question")).click()
    answer = page.locator("article.post", has_text="Give it a week")
    answer.get_by_role("button", name="Accept this answer").click()
    page.get_by_text("Marked as the accepted answer").wait_for()
    assert page.get_by_role("heading", level=1).get_by_text("Solved").is_visible()

    page.goto("/?tab=latest")
    row = page.locator("li.thread-row", has_text="Is my fermentation stuck at 1.030?")
    assert row.get_by_text("Solved").is_visible()
    only_own_host(page, live_server)


def test_votes_update_in_place_with_htmx(page, live_server):
    space = factories.SpaceFactory(name="Kits")
    author, voter = factories.UserFactory(), factories.UserFactory()
    thread = conversations.thread_create(author=author, space=space,
                                         kind=Thread.Kind.DISCUSSION,
                                         title="Show your kit", body="Mine is blue.")
    _log_in(page, voter)
    page.goto(thread.get_absolute_url())
    like = page.get_by_role("button", name=re.compile(r"^Like"))
    url_before = page.url
    like.click()
    page.get_by_role("button", name=re.compile(r"^Like 1")).wait_for()
    assert page.get_by_role("button", name=re.compile(r"^Like")).get_attribute(
        "aria-pressed") == "true"
    assert page.url == url_before  # no page load: swapped in place


def test_the_asker_reads_three_answers_as_one_row_of_the_inbox_on_a_phone(page, live_server):
    from community.engine import engagement

    space = factories.SpaceFactory(name="Fermentation")
    asker = factories.UserFactory(display_name="Asha Asker")
    question = conversations.thread_create(
        author=asker, space=space, kind=Thread.Kind.QUESTION,
        title="Why does my cider smell of eggs?", body="Sulphur, four days in.")
    for name in ("Ben Brewer", "Cy Cellar", "Dee Distiller"):
        conversations.post_create(author=factories.UserFactory(display_name=name),
                                  thread=question, body=f"{name}: feed the yeast some nutrient.")
    engagement.process_pending()

    page.set_viewport_size({"width": 390, "height": 844})
    _log_in(page, asker)
    page.get_by_role("link", name="Notifications, 3 unread").click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    rows = page.locator(".notice-row")
    expect(rows).to_have_count(1)  # waits for the inbox, not the page the click left
    row = rows.first
    assert "3 new" in row.inner_text()  # unread is said in words, not only by colour
    link = row.get_by_role("link", name=re.compile(
        "Dee Distiller\u2069? and 2 others answered your question"))
    assert row.locator(".avatar").count() == 3
    width = page.evaluate("() => [document.documentElement.scrollWidth, "
                          "document.documentElement.clientWidth]")
    assert width[0] <= width[1] + 1, f"the inbox is {width[0]}px wide at 390px"

    link.click()
    page.wait_for_url(re.compile(re.escape(question.get_absolute_url())))
    page.get_by_role("link", name="Notifications", exact=True).click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    expect(page.locator(".notice-unread")).to_have_count(0)
    assert "All read" in page.locator(".notice-summary").inner_text()
    only_own_host(page, live_server)
