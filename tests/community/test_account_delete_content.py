"""Deleting an account: the member chooses what happens to their posts; nothing else is lost."""
import pytest
from django.urls import reverse

from community.models import Post, PostRevision, Thread, User, Vote
from community.services import conversations

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(member, other_member):
    space = factories.SpaceFactory()
    thread = conversations.thread_create(
        author=member, space=space, kind=Thread.Kind.QUESTION,
        title="Which yeast for a saison?", body="I want something **peppery**.",
    )
    answer = conversations.post_create(author=other_member, thread=thread, body="Try 3724.")
    follow_up = conversations.post_create(
        author=member, thread=thread, body="Thanks, ordering it.", parent=answer
    )
    conversations.vote_cast(voter=member, post=answer, kind=Vote.Kind.HELPFUL)
    PostRevision.objects.create(post=follow_up, body="Thanks!", edited_by=member)
    return thread, answer, follow_up


def _delete(client, member, choice):
    client.force_login(member)
    return client.post(
        reverse("account_delete"), {"posts": choice, "password": factories.PASSWORD}, follow=True
    )


def test_anonymise_keeps_posts_under_former_member(client, member, conversation):
    thread, answer, follow_up = conversation
    response = _delete(client, member, "anonymise")

    assert response.status_code == 200
    assert not User.objects.filter(pk=member.pk).exists()
    follow_up.refresh_from_db()
    thread.refresh_from_db()
    assert follow_up.author.is_former_member
    assert follow_up.body == "Thanks, ordering it." and not follow_up.is_deleted
    assert thread.author.is_former_member
    assert thread.author.name == "Former member"


def test_remove_blanks_their_posts_but_keeps_the_thread_and_others(client, member,
                                                                  conversation):
    thread, answer, follow_up = conversation
    _delete(client, member, "remove")

    follow_up.refresh_from_db()
    opening = Post.objects.get(pk=thread.opening_post_id)
    assert follow_up.is_deleted and follow_up.body == ""
    assert opening.is_deleted and "peppery" not in opening.body_html
    assert not PostRevision.objects.filter(post=follow_up).exists()
    answer.refresh_from_db()
    assert answer.body == "Try 3724." and not answer.is_deleted
    assert Thread.objects.filter(pk=thread.pk).exists()


def test_their_helpful_votes_still_count(client, member, conversation):
    _, answer, _ = conversation
    _delete(client, member, "anonymise")
    answer.refresh_from_db()
    assert answer.helpful_count == 1
    assert Vote.objects.filter(post=answer, voter__isnull=True).count() == 1


def test_wrong_password_deletes_nothing(client, member, conversation):
    client.force_login(member)
    response = client.post(reverse("account_delete"), {"posts": "remove", "password": "nope"})
    assert response.status_code == 200
    assert "password" in response.content.decode().lower()
    assert User.objects.filter(pk=member.pk).exists()
    assert Post.objects.filter(author=member, is_deleted=False).count() == 2

