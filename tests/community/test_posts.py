"""Replying, accepting answers, voting, editing and deleting posts."""
import html
import re
import uuid

import pytest
from django.urls import reverse

from community.models import Post, PostRevision, Space, Thread, Vote
from community.services import conversations

from .. import factories

pytestmark = pytest.mark.django_db


def visible(response) -> str:
    return html.unescape(response.content.decode())


def main_part(page: str) -> str:
    return page.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def thread_row(page: str, title: str) -> str:
    """The row of the home/space list that links ``title``."""
    for row in re.findall(r'<li class="thread-row.*?</li>\s*(?=<li class="thread-row|</ol>)',
                          page, re.S):
        if title in row:
            return row
    raise AssertionError(f"{title!r} is not listed")


@pytest.fixture
def space(db):
    return factories.SpaceFactory(name="Stoves")


@pytest.fixture
def asker(db):
    return factories.UserFactory(username="asker", display_name="Ada Asker")


@pytest.fixture
def helper(db):
    return factories.UserFactory(username="helper", display_name="Hal Helper")


@pytest.fixture
def the_question(asker, space):
    return conversations.thread_create(
        author=asker, space=space, kind=Thread.Kind.QUESTION,
        title="Why does my stove sputter in the cold?", body="Below zero it sputters.",
    )


@pytest.fixture
def discussion(asker, space):
    return conversations.thread_create(
        author=asker, space=space, kind=Thread.Kind.DISCUSSION,
        title="Favourite trail breakfasts", body="Mine is porridge with dates.",
    )


def answer(author, thread, body="Warm the canister in your jacket first."):
    return conversations.post_create(author=author, thread=thread, body=body)


def reply_data(body, **extra):
    return {"body": body, "nonce": uuid.uuid4().hex, **extra}


# Replying


def test_answering_a_question(client_as, helper, the_question):
    client = client_as(helper)
    response = client.post(
        reverse("thread_reply", args=[the_question.pk]),
        reply_data("Keep the canister warm in a pocket."),
        follow=True,
    )

    post = Post.objects.get(thread=the_question, kind=Post.Kind.ANSWER)
    assert response.redirect_chain[0] == (reverse("post_permalink", args=[post.pk]), 302)
    page = visible(response)
    assert "Your answer is posted." in page
    assert page.index("Below zero it sputters.") < page.index("Keep the canister warm")
    assert f'id="post-{post.pk}"' in page
    the_question.refresh_from_db()
    assert the_question.answer_count == 1
    assert the_question.post_count == 2
    assert post.author == helper and post.position == 2
    unanswered = visible(client.get(reverse("home"), {"tab": "unanswered"}))
    assert "Why does my stove sputter" not in unanswered


def test_reply_to_a_post_quotes_its_parent(client_as, asker, helper, the_question):
    first = answer(helper, the_question)
    client = client_as(asker)
    response = client.post(
        reverse("thread_reply", args=[the_question.pk]),
        reply_data("Thanks, trying that tonight.", parent=str(first.pk)),
        follow=True,
    )

    post = Post.objects.get(thread=the_question, author=asker, kind=Post.Kind.REPLY)
    assert post.parent == first
    page = visible(response)
    assert "Your reply is posted." in page
    card = page.split(f'id="post-{post.pk}"', 1)[1].split("</article>", 1)[0]
    assert "In reply to Hal Helper" in card
    assert "Warm the canister in your jacket first." in card
    the_question.refresh_from_db()
    assert the_question.answer_count == 1  # a reply is not an answer


def test_reply_link_prefills_the_quoted_post(client_as, asker, helper, the_question):
    first = answer(helper, the_question)
    page = visible(client_as(asker).get(the_question.get_absolute_url(),
                                        {"reply_to": first.pk}))
    assert "Replying to" in page and "Hal Helper's post" in page
    assert f'name="parent" value="{first.pk}"' in page
    assert "Post reply" in page


def test_empty_reply_is_refused_with_an_error(client_as, helper, the_question):
    response = client_as(helper).post(
        reverse("thread_reply", args=[the_question.pk]), reply_data("   ")
    )
    assert response.status_code == 400
    assert "Write something before posting." in visible(response)
    assert the_question.posts.count() == 1


def test_too_long_reply_is_refused_and_the_draft_kept(client_as, helper, the_question):
    draft = "word " * 4000 + "x"  # 20001 characters
    assert len(draft) == 20001
    response = client_as(helper).post(
        reverse("thread_reply", args=[the_question.pk]), reply_data(draft)
    )
    page = visible(response)
    assert response.status_code == 400
    assert "at most 20000 characters" in page
    textarea = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert textarea.strip() == draft.strip()
    assert the_question.posts.count() == 1


def test_locked_thread_refuses_replies(client_as, helper, the_question):
    Thread.objects.filter(pk=the_question.pk).update(is_locked=True)
    client = client_as(helper)
    response = client.post(reverse("thread_reply", args=[the_question.pk]), reply_data("Hi"))
    assert response.status_code == 403
    assert "This thread is locked" in visible(response)
    assert the_question.posts.count() == 1
    assert "Replies are closed" in visible(client.get(the_question.get_absolute_url()))


def test_deleted_thread_cannot_be_read_or_replied_to(client_as, asker, helper, the_question):
    conversations.post_delete(actor=asker, post=the_question.opening_post)
    client = client_as(helper)
    assert client.get(the_question.get_absolute_url()).status_code == 404
    response = client.post(reverse("thread_reply", args=[the_question.pk]), reply_data("Hi"))
    assert response.status_code == 404
    assert the_question.posts.count() == 1


def test_reply_posted_twice_with_the_same_nonce_creates_one_post(client_as, helper,
                                                                 the_question):
    client = client_as(helper)
    data = reply_data("Use a windscreen.")
    client.post(reverse("thread_reply", args=[the_question.pk]), data)
    second = client.post(reverse("thread_reply", args=[the_question.pk]), data)

    post = Post.objects.get(thread=the_question, kind=Post.Kind.ANSWER)
    assert second.status_code == 302
    assert second["Location"] == reverse("post_permalink", args=[post.pk])
    the_question.refresh_from_db()
    assert the_question.answer_count == 1
    assert the_question.post_count == 2


def test_mention_of_a_member_links_to_their_profile(client_as, asker, helper, the_question):
    client = client_as(asker)
    client.post(reverse("thread_reply", args=[the_question.pk]),
                reply_data("Maybe @helper knows, not @nobody_here."))
    page = visible(client.get(the_question.get_absolute_url()))
    link = re.search(r'<a href="([^"]+)" class="mention"[^>]*>@helper</a>', page)
    assert link is not None
    assert link.group(1) == reverse("profile", args=["helper"])
    assert client.get(link.group(1)).status_code == 200
    assert "@nobody_here" in page
    assert 'class="mention" rel="nofollow ugc noopener">@nobody_here' not in page


def test_mention_written_in_other_case_links_to_the_profile(client_as, asker, space):
    factories.UserFactory(username="TrailFox", display_name="Tess Fox")
    thread = conversations.thread_create(
        author=asker, space=space, kind=Thread.Kind.DISCUSSION,
        title="Who knows alpine routes?", body="Paging @trailfox and @TRAILFOX.",
    )
    client = client_as(asker)
    page = visible(client.get(thread.get_absolute_url()))
    links = re.findall(r'<a href="([^"]+)" class="mention"', page)
    assert len(links) == 2
    for href in links:
        response = client.get(href, follow=True)
        assert response.status_code == 200
        assert "Tess Fox" in visible(response)


# Accepting an answer


def test_asker_accepts_an_answer_and_the_question_shows_solved(client_as, asker, helper,
                                                               the_question):
    best = answer(helper, the_question)
    client = client_as(asker)
    response = client.post(reverse("post_accept", args=[best.pk]), follow=True)

    the_question.refresh_from_db()
    assert the_question.accepted_answer == best
    page = visible(response)
    assert "Marked as the accepted answer" in page
    assert '<span class="badge badge-solved">Solved</span> <bdi>Why does my stove sputter' in page
    for tab in ("latest", "solved"):
        row = thread_row(visible(client.get(reverse("home"), {"tab": tab})),
                         "Why does my stove sputter in the cold?")
        assert '<span class="badge badge-solved">Solved</span>' in row, tab


def test_another_member_cannot_accept(client_as, helper, the_question):
    best = answer(helper, the_question)
    stranger = factories.UserFactory()
    response = client_as(stranger).post(reverse("post_accept", args=[best.pk]))
    assert response.status_code == 403
    assert "Only the person who asked, or a host, can accept an answer." in visible(response)
    the_question.refresh_from_db()
    assert the_question.accepted_answer is None


def test_answerer_cannot_accept_their_own_answer(client_as, helper, the_question):
    best = answer(helper, the_question)
    assert client_as(helper).post(reverse("post_accept", args=[best.pk])).status_code == 403
    the_question.refresh_from_db()
    assert the_question.accepted_answer is None


def test_host_can_accept_an_answer(client_as, host, helper, the_question):
    best = answer(helper, the_question)
    response = client_as(host).post(reverse("post_accept", args=[best.pk]))
    assert response.status_code == 302
    the_question.refresh_from_db()
    assert the_question.accepted_answer == best


def test_undo_removes_the_accepted_answer(client_as, asker, helper, the_question):
    best = answer(helper, the_question)
    client = client_as(asker)
    client.post(reverse("post_accept", args=[best.pk]))
    response = client.post(reverse("post_accept", args=[best.pk]), {"undo": "1"}, follow=True)

    the_question.refresh_from_db()
    assert the_question.accepted_answer is None
    page = visible(response)
    assert "The answer is no longer marked as accepted." in page
    assert "badge-solved" not in main_part(page).split("</header>", 1)[0]
    solved = visible(client.get(reverse("home"), {"tab": "solved"}))
    # The solved list, not the asker's own "Your questions" above it (which still lists it).
    assert "Why does my stove sputter" not in solved.split('<div id="feed">', 1)[1]


def test_accepting_another_answer_replaces_the_first(client_as, asker, helper, the_question):
    first = answer(helper, the_question)
    second = answer(factories.UserFactory(), the_question, body="Use an isobutane mix.")
    client = client_as(asker)
    client.post(reverse("post_accept", args=[first.pk]))
    client.post(reverse("post_accept", args=[second.pk]))
    the_question.refresh_from_db()
    assert the_question.accepted_answer == second


def test_a_reply_cannot_be_accepted(client_as, asker, helper, the_question):
    first = answer(helper, the_question)
    reply = conversations.post_create(author=helper, thread=the_question, body="Also: wind.",
                                      parent=first)
    response = client_as(asker).post(reverse("post_accept", args=[reply.pk]))
    assert response.status_code == 403
    the_question.refresh_from_db()
    assert the_question.accepted_answer is None


# Votes


def test_like_counts_once_and_can_be_undone(client_as, asker, helper, the_question):
    post = answer(helper, the_question)
    client = client_as(asker)
    url = reverse("post_vote", args=[post.pk, "like"])

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("post_permalink", args=[post.pk])
    post.refresh_from_db()
    assert post.like_count == 1

    client.post(url)
    post.refresh_from_db()
    assert post.like_count == 1
    assert Vote.objects.filter(post=post, voter=asker, kind="like").count() == 1

    client.post(url, {"undo": "1"})
    post.refresh_from_db()
    assert post.like_count == 0
    assert not Vote.objects.filter(post=post).exists()
    the_question.refresh_from_db()
    assert the_question.like_count == 0


def test_like_with_htmx_returns_only_the_button(client_as, asker, helper, the_question):
    post = answer(helper, the_question)
    client = client_as(asker)
    url = reverse("post_vote", args=[post.pk, "like"])

    response = client.post(url, HTTP_HX_REQUEST="true")
    page = visible(response)
    assert response.status_code == 200
    assert "<html" not in page
    assert "<main" not in page
    assert 'aria-pressed="true"' in page
    assert '<span class="count">1</span>' in page
    assert 'name="undo" value="1"' in page

    response = client.post(url, {"undo": "1"}, HTTP_HX_REQUEST="true")
    page = visible(response)
    assert 'aria-pressed="false"' in page
    assert '<span class="count">0</span>' in page


def test_helpful_vote_on_an_answer(client_as, asker, helper, the_question):
    post = answer(helper, the_question)
    response = client_as(asker).post(reverse("post_vote", args=[post.pk, "helpful"]),
                                     HTTP_HX_REQUEST="true")
    assert "Helpful" in visible(response)
    post.refresh_from_db()
    assert post.helpful_count == 1
    assert post.like_count == 0


def test_voting_on_your_own_post_is_refused(client_as, helper, the_question):
    post = answer(helper, the_question)
    response = client_as(helper).post(reverse("post_vote", args=[post.pk, "like"]))
    assert response.status_code == 403
    assert "You cannot vote on your own post." in visible(response)
    assert not Vote.objects.exists()


def test_helpful_on_a_post_that_is_not_an_answer_is_refused(client_as, asker, helper,
                                                            discussion):
    reply = conversations.post_create(author=helper, thread=discussion, body="Oats!")
    response = client_as(asker).post(reverse("post_vote", args=[reply.pk, "helpful"]))
    assert response.status_code == 403
    assert "Only answers can be marked helpful." in visible(response)
    reply.refresh_from_db()
    assert reply.helpful_count == 0


def test_unknown_vote_kind_is_404(client_as, asker, helper, the_question):
    post = answer(helper, the_question)
    assert client_as(asker).post(reverse("post_vote", args=[post.pk, "love"])).status_code == 404
    assert not Vote.objects.exists()


def test_anonymous_vote_goes_to_login(client, helper, the_question):
    post = answer(helper, the_question)
    response = client.post(reverse("post_vote", args=[post.pk, "like"]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Vote.objects.exists()


# Editing


def test_author_edits_a_post(client_as, host, helper, the_question):
    post = answer(helper, the_question, body="Original advice: shake it.")
    client = client_as(helper)
    form = visible(client.get(reverse("post_edit", args=[post.pk])))
    assert "Original advice: shake it." in form

    response = client.post(reverse("post_edit", args=[post.pk]),
                           {"body": "Better advice: warm it."}, follow=True)

    page = visible(response)
    assert "Your post is updated." in page
    assert "Better advice: warm it." in page
    assert "Original advice" not in main_part(page)
    card = page.split(f'id="post-{post.pk}"', 1)[1].split("</article>", 1)[0]
    assert " · edited" in card
    revision = PostRevision.objects.get(post=post)
    assert revision.body == "Original advice: shake it."
    assert revision.edited_by == helper

    history = client_as(host).get(reverse("post_history", args=[post.pk]))
    assert history.status_code == 200
    assert "Original advice: shake it." in visible(history)
    assert "Better advice: warm it." in visible(history)
    host_view = visible(client_as(host).get(the_question.get_absolute_url()))
    assert f'href="{reverse("post_history", args=[post.pk])}"' in host_view


def test_edit_of_the_opening_post_updates_what_search_finds(client_as, asker, the_question):
    client_as(asker).post(reverse("post_edit", args=[the_question.opening_post_id]),
                          {"body": "Only with propane canisters."})
    the_question.refresh_from_db()
    assert "propane" in the_question.search_body


def test_others_cannot_edit_or_read_history(client_as, helper, the_question):
    post = answer(helper, the_question, body="Mine.")
    conversations.post_edit(actor=helper, post=post, body="Mine, edited.")
    stranger = client_as(factories.UserFactory())
    assert stranger.get(reverse("post_edit", args=[post.pk])).status_code == 403
    assert stranger.post(reverse("post_edit", args=[post.pk]), {"body": "Hijack"}).status_code \
        == 403
    assert stranger.get(reverse("post_history", args=[post.pk])).status_code == 403
    post.refresh_from_db()
    assert post.body == "Mine, edited."


def test_author_cannot_read_their_own_history(client_as, helper, the_question):
    post = answer(helper, the_question, body="Mine.")
    conversations.post_edit(actor=helper, post=post, body="Mine, edited.")
    assert client_as(helper).get(reverse("post_history", args=[post.pk])).status_code == 403


def test_empty_edit_is_refused_and_the_post_kept(client_as, helper, the_question):
    post = answer(helper, the_question, body="Keep me.")
    response = client_as(helper).post(reverse("post_edit", args=[post.pk]), {"body": "  "})
    assert response.status_code == 200
    assert "A post cannot be empty; delete it instead." in visible(response)
    post.refresh_from_db()
    assert post.body == "Keep me."
    assert post.edited_at is None
    assert not PostRevision.objects.exists()


def test_too_long_edit_is_refused_and_the_draft_kept(client_as, helper, the_question):
    post = answer(helper, the_question, body="Keep me.")
    draft = "y" * 20001
    response = client_as(helper).post(reverse("post_edit", args=[post.pk]), {"body": draft})
    page = visible(response)
    assert response.status_code == 200
    assert "at most 20000 characters" in page
    assert draft in page
    post.refresh_from_db()
    assert post.body == "Keep me."


def test_saving_unchanged_text_stores_no_revision(client_as, helper, the_question):
    post = answer(helper, the_question, body="Same.")
    client_as(helper).post(reverse("post_edit", args=[post.pk]), {"body": "Same."})
    post.refresh_from_db()
    assert post.edited_at is None
    assert not PostRevision.objects.exists()


# Deleting


def test_author_deletes_an_answer(client_as, helper, the_question):
    post = answer(helper, the_question, body="Regrettable advice.")
    client = client_as(helper)
    confirm = client.get(reverse("post_delete", args=[post.pk]))
    assert confirm.status_code == 200
    assert "Delete this post?" in visible(confirm)
    assert "Regrettable advice." in visible(confirm)

    response = client.post(reverse("post_delete", args=[post.pk]), follow=True)

    page = visible(response)
    assert "Your post is deleted." in page
    assert "This post was deleted." in page
    assert "Regrettable advice." not in main_part(page)
    post.refresh_from_db()
    assert post.is_deleted
    the_question.refresh_from_db()
    assert the_question.answer_count == 0
    assert the_question.post_count == 1


def test_deleting_the_accepted_answer_unsolves_the_question(client_as, asker, helper,
                                                            the_question):
    post = answer(helper, the_question)
    conversations.answer_accept(actor=asker, answer=post)
    client_as(helper).post(reverse("post_delete", args=[post.pk]))
    the_question.refresh_from_db()
    assert the_question.accepted_answer is None


def test_deleting_the_opening_post_removes_the_thread(client_as, asker, helper, space,
                                                      the_question):
    answer(helper, the_question)
    client = client_as(asker)
    confirm = visible(client.get(reverse("post_delete", args=[the_question.opening_post_id])))
    assert "Delete this thread?" in confirm

    response = client.post(reverse("post_delete", args=[the_question.opening_post_id]),
                           follow=True)

    assert response.redirect_chain[0] == (space.get_absolute_url(), 302)
    page = visible(response)
    assert "Your thread is deleted." in page
    assert "Why does my stove sputter" not in main_part(page)
    assert client.get(the_question.get_absolute_url()).status_code == 404
    assert client_as(helper).get(the_question.get_absolute_url()).status_code == 404
    assert Space.objects.get(pk=space.pk).thread_count == 0


def test_others_cannot_delete_a_post(client_as, helper, the_question):
    post = answer(helper, the_question)
    stranger = client_as(factories.UserFactory())
    assert stranger.get(reverse("post_delete", args=[post.pk])).status_code == 403
    assert stranger.post(reverse("post_delete", args=[post.pk])).status_code == 403
    post.refresh_from_db()
    assert not post.is_deleted


def test_host_may_delete_a_members_post(client_as, host, helper, the_question):
    post = answer(helper, the_question)
    assert client_as(host).post(reverse("post_delete", args=[post.pk])).status_code == 302
    post.refresh_from_db()
    assert post.is_deleted


def test_unaccept_sent_twice_leaves_the_question_unsolved(client_as, asker, helper,
                                                          the_question):
    best = answer(helper, the_question)
    client = client_as(asker)
    client.post(reverse("post_accept", args=[best.pk]))
    client.post(reverse("post_accept", args=[best.pk]), {"undo": "1"})
    response = client.post(reverse("post_accept", args=[best.pk]), {"undo": "1"}, follow=True)

    assert response.status_code == 200
    the_question.refresh_from_db()
    assert the_question.accepted_answer is None
    assert "Accept this answer" in visible(response)


def test_stranger_cannot_unaccept(client_as, asker, helper, the_question):
    best = answer(helper, the_question)
    conversations.answer_accept(actor=asker, answer=best)
    stranger = client_as(factories.UserFactory())
    response = stranger.post(reverse("post_accept", args=[best.pk]), {"undo": "1"})
    assert response.status_code == 403
    the_question.refresh_from_db()
    assert the_question.accepted_answer == best
