"""Live updates in two (three) browsers at once: one member replies, the others see it
without reloading; a host hides a post and it vanishes; the stream server dies and the
page gets the reply it missed when it comes back. Pages and stream on the ASGI server
(``tests/browser/asgi.py``), the engine in-process (TASKS_EAGER), real Redis."""
import re

import pytest

from community.models import CommunitySettings, Thread
from community.services import conversations, moderation
from tests import factories

from .asgi import AsgiServer
from .conftest import log_in


@pytest.fixture
def asgi(transactional_db, settings):
    settings.ALLOWED_HOSTS = ["*"]
    robot_speed = CommunitySettings.get()
    robot_speed.min_fill_seconds = 0
    robot_speed.save()
    from django.db import connections

    # Each page is served on a thread of its own (Django's ASGI handler): its database
    # connection closes with the request, so none outlives the test.
    kept = connections.settings["default"]["CONN_MAX_AGE"]
    connections.settings["default"]["CONN_MAX_AGE"] = 0
    server = AsgiServer()
    server.start()
    yield server
    server.stop()
    connections.settings["default"]["CONN_MAX_AGE"] = kept


def tab_for(browser, server, user):
    tab = browser.new_context(base_url=server.url).new_page()
    tab.set_default_timeout(10_000)
    log_in(tab, user)
    return tab


def live(tab):
    tab.locator("html[data-live=on]").wait_for(state="attached")


def question_with_answer():
    asker = factories.UserFactory(display_name="Ada Asker")
    thread = conversations.thread_create(
        author=asker, space=factories.SpaceFactory(name="Kettles"), kind=Thread.Kind.QUESTION,
        title="Which kettle for 20 litres?", body="Looking for advice on a bigger kettle.")
    first = conversations.post_create(author=factories.UserFactory(), thread=thread,
                                      body="The 30 litre one, with a tap.")
    return asker, thread, first


def test_a_reply_shows_for_the_others_without_reload_and_a_hidden_post_vanishes(browser, asgi):
    asker, thread, first = question_with_answer()
    reader = tab_for(browser, asgi, factories.UserFactory(display_name="Rita Reader"))
    reader.goto(thread.get_absolute_url())
    reader.evaluate("window.sameDocument = true")
    asker_tab = tab_for(browser, asgi, asker)  # on the home page: the bell and the list
    asker_tab.goto("/?tab=latest")
    row = asker_tab.locator(f"li.thread-row[data-thread='{thread.pk}']")
    row.get_by_text("1 answer").wait_for()
    asker_tab.get_by_role("link", name="Notifications, 1 unread").wait_for()  # the first answer
    live(reader)
    live(asker_tab)

    writer = tab_for(browser, asgi, factories.UserFactory(display_name="Walt Writer"))
    writer.goto(thread.get_absolute_url())
    writer.get_by_label("Your reply").fill("Mine is the 35 litre one and it boils in 40 minutes.")
    writer.get_by_role("button", name="Post your answer").click()
    writer.get_by_text("Your answer is posted.").wait_for()

    reader.locator("article.post", has_text="boils in 40 minutes").wait_for()
    bar = reader.get_by_role("button", name="1 new reply")
    bar.wait_for()
    assert reader.evaluate("window.sameDocument") is True  # no reload, no jump
    bar.click()
    assert reader.evaluate("document.activeElement.textContent").count("boils in 40 minutes")
    asker_tab.get_by_role("link", name="Notifications, 2 unread").wait_for()  # long before 60 s
    row.get_by_text("2 answers").wait_for()

    moderation.review_hide(actor=factories.HostFactory(), post=first, reason="Off topic.")
    reader.locator("article.post", has_text="The 30 litre one").wait_for(state="detached")
    assert reader.evaluate("window.sameDocument") is True
    for tab in (reader, asker_tab, writer):
        tab.context.close()


def test_the_page_gets_the_reply_it_missed_while_the_stream_was_down(browser, asgi):
    _, thread, _ = question_with_answer()
    reader = tab_for(browser, asgi, factories.UserFactory(display_name="Rita Reader"))
    reader.goto(thread.get_absolute_url())
    live(reader)
    reader.evaluate("window.sameDocument = true")

    asgi.stop()  # the stream (here the whole ASGI server) dies
    reader.locator("html[data-live=off]").wait_for(state="attached")
    conversations.post_create(author=factories.UserFactory(), thread=thread,
                              body="Written while the stream was away.")
    asgi.start()  # back on the same address: the page reconnects with its last event id

    reader.locator("article.post", has_text="while the stream was away").wait_for(
        timeout=20_000)
    reader.get_by_role("button", name=re.compile("1 new reply")).wait_for()
    assert reader.evaluate("window.sameDocument") is True
    reader.context.close()
