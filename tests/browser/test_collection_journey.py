"""A member builds a public collection from the thread page, a follower is told of what is
added, the owner reorders it with the keyboard, and the author hears of their post."""
import re

from community.services import conversations
from tests import factories

from .conftest import log_in, only_own_host, signed_in_tab


def test_build_a_collection_follow_it_and_hear_of_additions(page, live_server, browser):
    space = factories.SpaceFactory(name="Fermenting")
    asker = factories.UserFactory(display_name="Ada Asker")
    helper = factories.UserFactory(display_name="Hugo Helper")
    curator = factories.UserFactory(display_name="Cora Curator")
    fan = factories.UserFactory(display_name="Finn Follower")
    stuck = conversations.thread_create(author=asker, space=space, kind="question",
                                        title="Fermentation stopped after two days",
                                        body="Is it stuck?")
    conversations.post_create(author=helper, thread=stuck, body="Swirl it and wait a day.")
    kveik = conversations.thread_create(author=asker, space=space, kind="discussion",
                                        title="Kveik at 35 degrees", body="Any off-flavours?")

    # The curator starts a collection from the answer's "Add to collection".
    log_in(page, curator)
    page.goto(stuck.get_absolute_url())
    answer = page.locator("article.post").nth(1)
    answer.get_by_role("link", name="Add to collection").click()
    page.get_by_label("Collection").select_option(label="New collection…")
    page.get_by_role("button", name="Add").click()
    page.get_by_text("It will start with Hugo Helper's post").wait_for()
    page.get_by_label("Title").fill("Best of fermentation")
    page.get_by_label("Description").fill("Answers I keep going back to.")
    page.get_by_role("button", name="Make the collection").click()
    page.get_by_text("Collection made").wait_for()
    collection_url = page.url

    # Someone else follows it.
    other = signed_in_tab(browser, live_server, fan)
    other.goto("/collections/")
    other.get_by_role("link", name="Best of fermentation").click()
    other.get_by_role("button", name="Follow collection").click()
    other.get_by_role("button", name="Following ✓").wait_for()

    # The curator adds a thread; the follower is told.
    page.goto(kveik.get_absolute_url())
    page.locator("article.post").first.get_by_role("link", name="Add to collection").click()
    page.get_by_label("Collection").select_option(label="Best of fermentation")
    page.get_by_label("Note (optional)").fill("Warm and fast")
    page.get_by_role("button", name="Add").click()
    page.get_by_text("Added to “Best of fermentation”.").wait_for()

    other.goto("/notifications/")
    # (names and titles are set between Unicode isolates, so the words are matched apart)
    other.get_by_text(re.compile("Cora Curator.{0,2} added .*Kveik at 35 degrees.*a collection "
                                 "you follow")).wait_for()

    # The owner moves the thread up with the keyboard alone.
    page.goto(collection_url)
    up = page.get_by_role("button", name="Move “Kveik at 35 degrees” up")
    up.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#item-\d+$"))
    items = page.locator("li.collection-item").all_inner_texts()
    assert "Kveik at 35 degrees" in items[0] and "Fermentation stopped" in items[1]

    # The author of the collected answer heard of it too.
    author = signed_in_tab(browser, live_server, helper)
    author.goto("/notifications/")
    author.get_by_text(re.compile("added your post in .*Fermentation stopped")).wait_for()
    only_own_host(page, live_server)
