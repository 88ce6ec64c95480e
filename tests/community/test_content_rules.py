"""What every piece of member writing goes through, whichever way it is written: who may
quote, reply to and vote on a post, the one content check (size, constructs, new-member
limits, the spam hold) for new posts, edits and host edits, and the posting rate."""
import html
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from community.models import CommunitySettings, Notification, Post, Thread, Vote
from community.services import conversations, moderation

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
@pytest.mark.parametrize("later", [_hide_later], ids=["hidden"])
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

    for reader in (None, factories.UserFactory()):
        page = page_of(anonymous.get(url) if reader is None else client_as(reader).get(url))
        shown = card(page, the_reply)
        assert "Trying that on Saturday" in shown
        assert quoted not in page and "a post that is not shown" in shown
    hosts = card(page_of(client_as(host).get(url)), the_reply)
    assert quoted in hosts and "In reply to Wes Writer" in hosts


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
