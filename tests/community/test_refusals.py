"""Each permission is checked once, in the service; the 403 page shows the service's
sentence, whichever view the request came through."""
import html
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import Post, Thread, Vote
from community.services import conversations, moderation

from .. import factories

pytestmark = pytest.mark.django_db


def visible(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def world(db):
    space = factories.SpaceFactory()
    asker, voter, host = factories.UserFactory(), factories.UserFactory(), factories.HostFactory()
    thread = conversations.thread_create(author=asker, space=space, kind=Thread.Kind.QUESTION,
                                         title="Why does my stove sputter?", body="It does.")
    answer = conversations.post_create(author=asker, thread=thread, body="Warm it first.")
    conversations.vote_cast(voter=voter, post=answer, kind=Vote.Kind.LIKE)
    return {"thread": thread, "answer": answer, "voter": voter, "host": host, "asker": asker}


def withdraw(client, post):
    return client.post(reverse("post_vote", args=[post.pk, Vote.Kind.LIKE]), {"undo": "1"})


def test_withdrawing_a_vote_works_for_who_may_vote(client_as, world):
    response = withdraw(client_as(world["voter"]), world["answer"])
    assert response.status_code == 302
    assert not Vote.objects.filter(voter=world["voter"]).exists()


def test_a_suspended_member_cannot_withdraw_a_vote(client_as, world):
    moderation.suspend(actor=world["host"], user=world["voter"], reason="Spam links.",
                       ends_at=timezone.now() + timedelta(days=3))
    response = withdraw(client_as(world["voter"]), world["answer"])
    assert response.status_code == 403
    assert "Your account is suspended until" in visible(response)
    assert "Spam links." in visible(response)
    assert Vote.objects.filter(voter=world["voter"]).exists()
    assert Post.objects.get(pk=world["answer"].pk).like_count == 1


def test_no_withdrawing_a_vote_on_a_post_one_can_no_longer_see(client_as, world):
    Post.objects.filter(pk=world["answer"].pk).update(status=Post.Status.HIDDEN)
    response = withdraw(client_as(world["voter"]), world["answer"])
    assert response.status_code == 403
    assert "You cannot vote on this post." in visible(response)
    assert Vote.objects.filter(voter=world["voter"]).exists()


def test_voting_on_ones_own_post_shows_the_services_sentence(client_as, world):
    response = client_as(world["asker"]).post(
        reverse("post_vote", args=[world["answer"].pk, Vote.Kind.LIKE]))
    assert response.status_code == 403
    assert "You cannot vote on your own post." in visible(response)


def test_a_refused_reply_shows_the_services_sentence(client_as, world):
    thread = world["thread"]
    Thread.objects.filter(pk=thread.pk).update(closed_at=timezone.now(),
                                               closed_reason="Solved long ago.")
    client = client_as(world["voter"])
    response = client.post(reverse("thread_reply", args=[thread.pk]),
                           {"body": "Me too.", "nonce": uuid.uuid4().hex})
    assert response.status_code == 403
    assert "This thread is closed: Solved long ago." in visible(response)
    assert not Post.objects.filter(thread=thread, author=world["voter"]).exists()


def test_a_suspended_members_reply_is_refused_with_the_suspension(client_as, world):
    moderation.suspend(actor=world["host"], user=world["voter"], reason="Spam links.",
                       ends_at=timezone.now() + timedelta(days=3))
    response = client_as(world["voter"]).post(
        reverse("thread_reply", args=[world["thread"].pk]),
        {"body": "Me too.", "nonce": uuid.uuid4().hex})
    assert response.status_code == 403
    assert "Your account is suspended until" in visible(response)


def test_a_stale_unaccept_changes_nothing_and_still_needs_the_right(client_as, world):
    thread, answer = world["thread"], world["answer"]
    response = client_as(world["voter"]).post(reverse("post_accept", args=[answer.pk]),
                                              {"undo": "1"})
    assert response.status_code == 403
    assert "can change the accepted answer" in visible(response)
    conversations.answer_accept(actor=world["asker"], answer=answer)
    other = conversations.post_create(author=world["voter"], thread=thread, body="Or this.")
    client_as(world["asker"]).post(reverse("post_accept", args=[other.pk]), {"undo": "1"})
    assert Thread.objects.get(pk=thread.pk).accepted_answer_id == answer.pk
