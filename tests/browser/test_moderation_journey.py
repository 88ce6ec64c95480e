"""Members flag spam, it hides itself, a host reviews it by keyboard and suspends the author."""
import re

from community.models import Post, Thread
from community.services import conversations
from tests import factories

from .conftest import only_own_host
from .test_question_journey import _log_in


def _flag(page, live_server, browser, user, thread_url):
    tab = browser.new_context(base_url=live_server.url).new_page()
    _log_in(tab, user)
    tab.goto(thread_url)
    tab.locator("article.post", has_text="cheap watches").get_by_role("link", name="Flag").click()
    tab.get_by_label("Spam").check()
    tab.get_by_role("button", name="Send to the hosts").click()
    tab.get_by_text("Thank you. A host will review the post").wait_for()
    return tab


def test_flag_hide_review_and_suspend(page, live_server, browser):
    space = factories.SpaceFactory(name="Kits")
    host = factories.HostFactory(display_name="Hana Host")
    spammer = factories.NewMemberFactory(display_name="Sam Spammer")
    thread = conversations.thread_create(author=factories.UserFactory(), space=space,
                                         kind=Thread.Kind.DISCUSSION, title="Kit upgrades",
                                         body="What did you add to your kit?")
    conversations.post_create(author=spammer, thread=thread,
                              body="Buy cheap watches at shady.example")
    url = thread.get_absolute_url()

    member_tab = _flag(page, live_server, browser, factories.UserFactory(), url)
    assert "cheap watches" in member_tab.content()  # a member's flag alone does not hide
    _flag(page, live_server, browser, factories.NewMemberFactory(), url).context.close()
    member_tab.reload()
    assert "cheap watches" not in member_tab.content()
    assert Post.objects.get(author=spammer).status == Post.Status.HIDDEN

    _log_in(page, host)
    page.get_by_role("link", name="Host", exact=True).click()
    page.get_by_role("navigation", name="Host tools").get_by_role("link",
                                                                  name="Review queue").click()
    item = page.locator("[data-review-item]", has_text="cheap watches")
    item.get_by_text("Hidden by community flags.").wait_for()
    page.wait_for_load_state("load")  # the keyboard handler is a deferred script
    page.locator("body").press("j")  # keyboard: focus the first item, then hide it
    page.keyboard.press("h")
    page.get_by_text("Hidden: only its author and the hosts see it.").wait_for()

    page.goto(spammer.get_absolute_url())
    page.get_by_role("link", name="Suspend Sam Spammer").click()
    page.get_by_label("Reason (the member sees it)").fill("Advertising, twice")
    page.get_by_label("For").select_option(label="1 week")
    page.get_by_role("button", name="Suspend").click()
    page.get_by_text(re.compile("Sam Spammer is suspended until")).wait_for()

    member_tab.goto("/notifications/")
    member_tab.get_by_text(re.compile("A host reviewed the post you flagged")).wait_for()
    member_tab.context.close()

    spam_tab = browser.new_context(base_url=live_server.url).new_page()
    _log_in(spam_tab, spammer)
    spam_tab.goto(url)
    spam_tab.get_by_role("heading", name="You cannot post right now").wait_for()
    assert "Advertising, twice" in spam_tab.content()
    spam_tab.context.close()

    page.goto("/host/log/")
    for action in ("Hidden by flags", "Hidden", "Suspended"):
        page.get_by_role("cell", name=action, exact=True).first.wait_for()
    only_own_host(page, live_server)


def test_the_queue_shows_why_members_flagged_and_d_asks_before_deleting(page, live_server):
    from community.services import moderation

    space = factories.SpaceFactory(name="Kits")
    thread = conversations.thread_create(author=factories.UserFactory(), space=space,
                                         kind=Thread.Kind.DISCUSSION, title="Kit upgrades",
                                         body="What did you add to your kit?")
    post = conversations.post_create(author=factories.UserFactory(), thread=thread,
                                     body="Visit my shop for cheap kettles")
    flagger = factories.UserFactory(display_name="Fay Flagger")
    moderation.flag_create(flagger=flagger, post=post, reason="other",
                           note="Links to a shop in every thread")
    _log_in(page, factories.HostFactory())
    page.goto("/host/review/")
    item = page.locator("[data-review-item]", has_text="cheap kettles")
    item.get_by_text("Something else").wait_for()
    assert "Links to a shop in every thread" in item.inner_text()
    assert "Fay Flagger" in item.inner_text()
    page.wait_for_load_state("load")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("body").press("j")
    page.keyboard.press("d")
    page.wait_for_timeout(300)
    assert asked and "Delete this post" in asked[0]
    assert not Post.objects.get(pk=post.pk).is_deleted  # dismissed: nothing happened
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("d")
    page.get_by_text("Deleted.").wait_for()
    assert Post.objects.get(pk=post.pk).is_deleted
