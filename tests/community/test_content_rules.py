"""What every piece of member writing goes through, whichever way it is written: who may
quote, reply to and vote on a post, the one content check (size, constructs, new-member
limits, the spam hold) for new posts, edits and host edits, and the posting rate."""
import html
import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from community.engine import engagement
from community.models import CommunitySettings, Notification, Post, Thread, Vote
from community.services import conversations, moderation
from purpose.models import Contribution

from .. import factories

pytestmark = pytest.mark.django_db

SECRET = "Unicorn-secret recipe: 40 g of Cascade at flameout"


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def tune(**values):
    row = CommunitySettings.get()
    for key, value in values.items():
        setattr(row, key, value)
    row.save()


def card(page: str, post) -> str:
    return page.split(f'id="post-{post.pk}"', 1)[1].split("</article>", 1)[0]


def reply(client, thread, body, **extra):
    return client.post(reverse("thread_reply", args=[thread.pk]),
                       {"body": body, "nonce": uuid.uuid4().hex, **extra})


@pytest.fixture
def thread(db):
    return conversations.thread_create(
        author=factories.UserFactory(display_name="Ada Asker"),
        space=factories.SpaceFactory(name="Hops"), kind=Thread.Kind.DISCUSSION,
        title="Late hopping notes", body="Share what you add at flameout.")


@pytest.fixture
def writer(db):
    return factories.UserFactory(display_name="Wes Writer")


def _held(thread, writer):
    tune(blocked_words="unicorn-secret")
    post = conversations.post_create(author=writer, thread=thread, body=SECRET)
    assert post.status == Post.Status.HELD
    return post


def _hidden_by_flags(thread, writer):
    post = conversations.post_create(author=writer, thread=thread, body=SECRET)
    moderation.flag_create(flagger=factories.HostFactory(), post=post, reason="spam")
    post.refresh_from_db()
    assert post.status == Post.Status.HIDDEN
    return post


# Replies to posts the member may not see ------------------------------------------------

@pytest.mark.parametrize("make", [_held, _hidden_by_flags], ids=["held", "hidden"])
def test_a_reply_to_a_post_the_member_may_not_see_is_refused(client_as, thread, writer,
                                                             make):
    parent = make(thread, writer)
    replier = factories.UserFactory()
    client = client_as(replier)
    # The reply link does not offer it for quoting either.
    offered = page_of(client.get(thread.get_absolute_url(), {"reply_to": parent.pk}))
    assert "Replying to" not in offered and SECRET not in offered

    response = reply(client, thread, "Quoting the secret one", parent=str(parent.pk))
    assert response.status_code == 403
    assert "You cannot reply to that post" in page_of(response)
    assert not Post.objects.filter(author=replier).exists()
    # Its author may still answer under it.
    assert reply(client_as(writer), thread, "Adding to mine",
                 parent=str(parent.pk)).status_code == 302


def _hide_later(parent):
    moderation.flag_create(flagger=factories.HostFactory(), post=parent, reason="spam")


def _hold_later(parent):
    """Its author edits a blocked word in: the post goes back to the review queue."""
    tune(blocked_words="unicorn-secret")
    conversations.post_edit(actor=parent.author, post=parent, body=SECRET + " (edited)")


@pytest.mark.parametrize("page_cache", [False, True], ids=["no-page-cache", "page-cache"])
@pytest.mark.parametrize("later", [_hide_later, _hold_later], ids=["hidden", "held"])
def test_a_quote_of_a_post_that_later_leaves_the_page_goes_with_it(
        client_as, settings, thread, writer, host, page_cache, later,
        django_capture_on_commit_callbacks):
    settings.PAGE_CACHE = page_cache
    parent = conversations.post_create(author=writer, thread=thread,
                                       body=SECRET if later is _hide_later
                                       else "Cascade at flameout, 40 g")
    replier = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert reply(client_as(replier), thread, "Trying that on Saturday",
                     parent=str(parent.pk)).status_code == 302
    the_reply = Post.objects.get(author=replier)
    url = thread.get_absolute_url()
    anonymous = Client()
    quoted = parent.body[:20]
    assert quoted in card(page_of(anonymous.get(url)), the_reply)  # cached now, if on

    with django_capture_on_commit_callbacks(execute=True):
        later(parent)
    parent.refresh_from_db()
    assert parent.status != Post.Status.PUBLISHED
    now_quoted = parent.body[:20]

    for reader in (None, factories.UserFactory()):
        page = page_of(anonymous.get(url) if reader is None else client_as(reader).get(url))
        shown = card(page, the_reply)
        assert "Trying that on Saturday" in shown
        assert quoted not in page and now_quoted not in page
        assert "a post that is not shown" in shown and "Wes Writer" not in shown
    hosts = card(page_of(client_as(host).get(url)), the_reply)
    assert now_quoted in hosts and "In reply to Wes Writer" in hosts


# Votes on posts the member may not see ---------------------------------------------------

@pytest.mark.parametrize("make", [_held, _hidden_by_flags], ids=["held", "hidden"])
def test_members_cannot_vote_on_a_post_they_may_not_see(client_as, thread, writer, make):
    post = make(thread, writer)
    voter = factories.UserFactory()
    response = client_as(voter).post(reverse("post_vote", args=[post.pk, "like"]))
    assert response.status_code == 403
    assert "You cannot vote on this post." in page_of(response)
    post.refresh_from_db()
    assert post.like_count == 0 and not Vote.objects.exists()


def test_members_cannot_vote_on_a_deleted_post_or_in_a_hidden_thread(client_as, writer):
    tune(blocked_words="unicorn-secret")
    held_thread = conversations.thread_create(
        author=writer, space=factories.SpaceFactory(), kind=Thread.Kind.DISCUSSION,
        title="Unicorn-secret hop farm", body="Visit my shop.")
    assert held_thread.is_hidden
    opening = held_thread.opening_post
    voter = factories.UserFactory()
    client = client_as(voter)
    assert client.post(reverse("post_vote", args=[opening.pk, "like"])).status_code in (403,
                                                                                          404)
    tune(blocked_words="")
    thread = conversations.thread_create(
        author=writer, space=factories.SpaceFactory(), kind=Thread.Kind.DISCUSSION,
        title="Hop farm visits", body="Who has been?")
    gone = conversations.post_create(author=writer, thread=thread, body="I went in May")
    conversations.post_delete(actor=writer, post=gone)
    assert client.post(reverse("post_vote", args=[gone.pk, "like"])).status_code == 403
    assert not Vote.objects.exists() and not Notification.objects.filter(kind="like").exists()


# One content check for every write ------------------------------------------------------

def _links_and_mentions(links=30, mentions=8):
    for i in range(mentions):
        factories.UserFactory(username=f"brewer_{i}")
    return (" ".join(f"[shop {i}](https://example.org/{i})" for i in range(links)) + " "
            + " ".join(f"@brewer_{i}" for i in range(mentions)))


def test_an_edit_is_held_to_the_new_member_limits_and_keeps_the_text(client_as, thread):
    tune(new_member_post_interval=0)
    newcomer = factories.NewMemberFactory()
    client = client_as(newcomer)
    assert reply(client, thread, "Hello, first brew this weekend!").status_code == 302
    post = Post.objects.get(author=newcomer)
    spam = _links_and_mentions()
    assert reply(client, thread, spam).status_code == 400  # as a new reply: refused

    response = client.post(reverse("post_edit", args=[post.pk]), {"body": spam})
    assert response.status_code == 400
    page = page_of(response)
    assert "you can use at most 2 per post" in page and "[shop 29]" in page  # text kept
    post.refresh_from_db()
    assert post.body == "Hello, first brew this weekend!" and not post.revisions.exists()
    engagement.process_pending()
    assert not Notification.objects.filter(kind="mention").exists()
    shown = page_of(client_as(None).get(thread.get_absolute_url()))
    assert "shop 29" not in shown


def test_an_edit_with_a_blocked_word_goes_back_to_the_review_queue(
        client_as, thread, writer, host, django_capture_on_commit_callbacks):
    tune(blocked_words="cheap pills")
    post = conversations.post_create(author=writer, thread=thread, body="Hop tea helps me")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(writer).post(reverse("post_edit", args=[post.pk]),
                                          {"body": "Buy cheap pills at example.com"},
                                          follow=True)
    assert "Your edit waits for a host's approval" in page_of(response)
    post.refresh_from_db()
    assert post.status == Post.Status.HELD and "spam check" in post.held_reason
    assert "cheap pills" not in page_of(client_as(None).get(thread.get_absolute_url()))
    assert "cheap pills" in page_of(client_as(host).get(reverse("review_queue")))
    with django_capture_on_commit_callbacks(execute=True):
        moderation.review_approve(actor=host, post=post)
    assert Thread.objects.get(pk=thread.pk).post_count == 2  # counted once, as before
    assert "cheap pills" in page_of(client_as(None).get(thread.get_absolute_url()))


def test_an_edited_opening_post_with_a_blocked_word_takes_the_thread_off_the_lists(
        client_as, writer):
    tune(blocked_words="casino")
    started = conversations.thread_create(
        author=writer, space=factories.SpaceFactory(), kind=Thread.Kind.DISCUSSION,
        title="Bottling day photos", body="Here they are.")
    client_as(writer).post(reverse("post_edit", args=[started.opening_post.pk]),
                           {"body": "Best casino bonus"})
    started.refresh_from_db()
    assert started.is_hidden
    assert "Bottling day photos" not in page_of(client_as(None).get(reverse("home")))


def test_a_host_edit_goes_through_the_same_check_and_shows_at_once(
        client_as, thread, writer, host, django_capture_on_commit_callbacks):
    post = conversations.post_create(author=writer, thread=thread, body="Call 555-0100")
    url = thread.get_absolute_url()
    anonymous = Client()
    assert "555-0100" in page_of(anonymous.get(url))  # kept in the page cache
    client = client_as(host)
    heavy = "![" * 9000
    refused = client.post(reverse("review_edit", args=[post.pk]), {"body": heavy})
    assert refused.status_code == 400
    assert "too much markup" in page_of(refused) and heavy in page_of(refused)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("review_edit", args=[post.pk]),
                           {"body": "Call [removed]"}).status_code == 302
    shown = page_of(anonymous.get(url))
    assert "Call [removed]" in shown and "555-0100" not in shown


def test_purpose_texts_go_through_the_same_check(client_as, host):
    from purpose import services as purpose_services

    tune(blocked_words="casino")
    project = purpose_services.project_propose(
        author=host, title="Kitchen yeast bank", goal="Share strains.",
        description="Bring a jar.", space=factories.SpaceFactory())
    client = client_as(factories.UserFactory())
    url = reverse("purpose:contribute", args=[project.slug])
    for body, message in (("![" * 9000, "too much markup"),
                          ("Best casino bonus", "please reword it")):
        response = client.post(url, {"kind": "idea", "title": "My idea here", "body": body,
                                     "nonce": uuid.uuid4().hex})
        assert response.status_code == 400
        assert message in page_of(response) and body in page_of(response)
    assert not Contribution.objects.exists()


# Rendering cost and posting rate ---------------------------------------------------------

def test_a_body_that_would_be_slow_to_render_is_refused_with_the_text_kept(client_as,
                                                                          thread):
    client = client_as(factories.UserFactory())
    for body in ("![" * 10000, "[" * 800 + "<a" * 9000, "*a" * 6000):
        response = reply(client, thread, body)
        assert response.status_code == 400
        assert "too much markup" in page_of(response) and body in page_of(response)
    assert thread.posts.count() == 1
    # Brackets and stars inside code do not count: a long listing goes through.
    listing = "```\n" + "values[i] = data[i] * 2  # [ok]\n" * 500 + "```"
    assert reply(client, thread, listing).status_code == 302


@pytest.mark.posting_rate
def test_members_and_hosts_have_a_posting_rate_set_in_the_settings(client_as, thread):
    member = factories.UserFactory()
    client = client_as(member)
    answers = [reply(client, thread, f"Quick note number {n}").status_code for n in range(11)]
    assert answers == [302] * 10 + [429]  # the default: 10 a minute
    refused = reply(client, thread, "One more thing")
    assert refused.status_code == 429
    page = page_of(refused)
    assert "Members can post 10 times a minute" in page and "One more thing" in page
    assert Post.objects.filter(author=member).count() == 10

    tune(member_posts_per_minute=0, member_posts_per_hour=12)
    assert reply(client, thread, "Eleventh").status_code == 302
    assert reply(client, thread, "Twelfth").status_code == 302
    assert "Members can post 12 times an hour" in page_of(reply(client, thread, "13th"))

    host = factories.HostFactory()
    hosts = client_as(host)
    assert all(reply(hosts, thread, f"Host note {n}").status_code == 302 for n in range(12))


@pytest.mark.django_db(transaction=True)
def test_parallel_replies_of_a_new_member_respect_the_interval():
    """Twelve replies sent at the same moment: the pause between posts lets one through."""
    thread = conversations.thread_create(
        author=factories.UserFactory(), space=factories.SpaceFactory(),
        kind=Thread.Kind.DISCUSSION, title="Parallel brewing", body="Go!")
    newcomer = factories.NewMemberFactory()
    start = threading.Barrier(12)
    outcomes = []

    def post(n):
        try:
            start.wait()
            conversations.post_create(author=newcomer, thread=thread, body=f"Reply {n}")
            outcomes.append("posted")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    workers = [threading.Thread(target=post, args=(n,)) for n in range(12)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert outcomes.count("posted") == 1, outcomes
    assert all("before posting again" in o for o in outcomes if o != "posted")
    assert Post.objects.filter(author=newcomer).count() == 1
