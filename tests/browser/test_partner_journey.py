"""An organisation applies, a host verifies it, its admin invites a colleague, the colleague
publishes a how-to with a member who accepts, members reply, and the insights show it."""
import re

from django.core import mail

from tests import factories

from .conftest import log_in, only_own_host, signed_in_tab


def test_apply_verify_invite_publish_coauthor_reply_insights(page, live_server, browser):
    factories.SpaceFactory(name="Recipes")
    founder = factories.UserFactory(display_name="Flora Founder")
    host = factories.HostFactory(display_name="Hana Host")
    colleague = factories.UserFactory(display_name="Cole League",
                                      email="cole@riverside.example")
    coauthor = factories.UserFactory(display_name="Aisha Author")
    replier = factories.UserFactory(display_name="Ben Replier")

    # The organisation applies.
    log_in(page, founder)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Partners").click()
    page.get_by_role("link", name="Apply as an organisation").first.click()
    page.get_by_label("Organisation name").fill("Riverside Maltings")
    page.get_by_label("Description").fill("Floor-malted barley since 1870.")
    page.get_by_label("Website").fill("https://riverside.example")
    page.get_by_role("button", name="Send application").click()
    page.get_by_text("A host reviews your application").wait_for()
    organisation_url = page.url

    # A host verifies it.
    staff = signed_in_tab(browser, live_server, host)
    staff.goto("/host/")
    staff.get_by_role("navigation", name="Host tools").get_by_role(
        "link", name="Partner applications").click()
    staff.get_by_role("button", name="Verify Riverside Maltings").click()
    staff.get_by_text("Riverside Maltings is verified.").wait_for()

    # Its admin invites a colleague, who accepts from the email.
    page.goto(organisation_url)
    page.get_by_role("link", name="People").click()
    page.get_by_label("Colleague's email address").fill("cole@riverside.example")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("Invitation sent to cole@riverside.example.").wait_for()
    message = next(m for m in mail.outbox if "cole@riverside.example" in m.to)
    link = re.search(r"https?://\S+/partners/join/\S+", message.body).group(0)
    cole = signed_in_tab(browser, live_server, colleague)
    cole.goto(link[link.index("/partners/join/"):])
    cole.get_by_role("button", name="Join Riverside Maltings").click()
    cole.get_by_text("Welcome to Riverside Maltings").wait_for()

    # The colleague publishes a how-to co-authored with a member.
    cole.get_by_role("link", name="Publish with members").click()
    cole.get_by_label("What is it?").select_option(label="How-to")
    cole.get_by_label("Space").select_option(label="Recipes")
    cole.get_by_label("Title").fill("Malting barley in your kitchen")
    cole.get_by_label("Text").fill("1. Steep for two days.\n2. Germinate.\n3. Kiln at 50 °C.")
    cole.get_by_label("Co-authors").fill(f"@{coauthor.username}")
    cole.get_by_role("button", name="Publish").click()
    cole.get_by_text("Published: members can reply and vote now.").wait_for()
    thread_url = cole.url
    assert cole.get_by_text("Partner").first.is_visible()

    # The member accepts from the notification; their name shows.
    author = signed_in_tab(browser, live_server, coauthor)
    author.get_by_role("link", name=re.compile("Notifications, 1 unread")).click()
    author.get_by_role("link", name=re.compile("invites you to co-author")).click()
    author.get_by_role("button", name="Accept: put my name on it").click()
    author.get_by_text("Thank you: your name is on it.").wait_for()
    assert "made with Aisha Author" in author.locator(".partner-credit").inner_text()

    # Members reply.
    ben = signed_in_tab(browser, live_server, replier)
    for tab, words in ((ben, "Tried it: the kiln step is key."),
                       (author, "Thanks Ben! 50 °C, no higher.")):
        tab.goto(thread_url)
        tab.get_by_label("Your reply").fill(words)
        tab.get_by_role("button", name="Post reply").click()
        tab.get_by_text("Your reply is posted.").wait_for()

    # The partner's insights show the conversation.
    cole.goto(organisation_url + "insights/")
    cards = cole.locator(".health-cards").inner_text()
    assert "2 by members" in cards and "100%" in cards
    assert cole.get_by_role("link", name="Malting barley in your kitchen").is_visible()
    only_own_host(page, live_server)
    for tab in (staff, cole, author, ben):
        tab.context.close()
