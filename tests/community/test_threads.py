"""Starting threads, finding similar questions, and reading a thread page by page."""
import html
import re
import uuid

import pytest
from django.urls import reverse

from community.models import Post, Thread, ThreadFollow
from community.services import conversations

from .. import factories

pytestmark = pytest.mark.django_db


def visible(response) -> str:
    return html.unescape(response.content.decode())


def main_part(page: str) -> str:
    """What the page shows in its main area (not the <head> metadata)."""
    return page.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def feed_part(page: str) -> str:
    """The thread list of a home/space page, without the "From the host" slot."""
    return page.split('<div id="feed">', 1)[1].split('class="layout-side"', 1)[0]


def host_slot(page: str) -> str:
    match = re.search(r'<aside class="host-slot.*?</aside>', page, re.S)
    return match.group(0) if match else ""


def ask_data(space, **overrides):
    data = {
        "space": space.pk,
        "title": "How do I restart a stuck fermentation?",
        "body": "My lager stopped at 1.030 after four days. What now?",
        "tags": "yeast, lager",
        "nonce": uuid.uuid4().hex,
    }
    data.update(overrides)
    return data


@pytest.fixture
def space(db):
    return factories.SpaceFactory(name="Brewing")


def question(author, space, title="Why is my stove flame yellow?", body="It burns yellow."):
    return conversations.thread_create(
        author=author, space=space, kind=Thread.Kind.QUESTION, title=title, body=body
    )


# Asking, discussing, announcing


def test_asking_a_question_shows_it_with_a_success_message(client_as, member, space):
    client = client_as(member)
    response = client.post(reverse("ask"), ask_data(space), follow=True)

    thread = Thread.objects.get()
    assert response.redirect_chain[0] == (thread.get_absolute_url(), 302)
    page = visible(response)
    assert "Your question is up. We'll tell you when someone answers." in page
    assert "How do I restart a stuck fermentation?" in page
    assert "My lager stopped at 1.030 after four days." in page
    assert thread.kind == Thread.Kind.QUESTION
    assert thread.author == member
    assert sorted(t.name for t in thread.tags.all()) == ["lager", "yeast"]
    assert thread.opening_post.body.startswith("My lager stopped")

    for tab in ("latest", "unanswered"):
        listing = visible(client.get(reverse("home"), {"tab": tab}))
        assert "How do I restart a stuck fermentation?" in feed_part(listing), tab


def test_starting_a_discussion_lists_it_in_conversations(client_as, member, space):
    client = client_as(member)
    response = client.post(
        reverse("discuss"),
        ask_data(space, title="Show us your winter camp setup", body="Photos welcome."),
        follow=True,
    )

    thread = Thread.objects.get()
    assert thread.kind == Thread.Kind.DISCUSSION
    assert response.redirect_chain[0][0] == thread.get_absolute_url()
    assert "Your discussion is up." in visible(response)
    home = visible(client.get(reverse("home")))
    assert "Show us your winter camp setup" in feed_part(home)
    unanswered = visible(client.get(reverse("home"), {"tab": "unanswered"}))
    assert "Show us your winter camp setup" not in unanswered


def test_host_announcement_is_in_the_host_slot_not_in_the_lists(client_as, host, space):
    client = client_as(host)
    response = client.post(
        reverse("announce"),
        ask_data(space, title="New firmware for the Summit stove", body="Update today."),
        follow=True,
    )

    thread = Thread.objects.get()
    assert thread.kind == Thread.Kind.ANNOUNCEMENT
    assert "Your announcement is published." in visible(response)
    for tab in ("conversations", "latest"):
        page = visible(client.get(reverse("home"), {"tab": tab}))
        assert "From the host" in page
        assert "New firmware for the Summit stove" in host_slot(page), tab
        assert "New firmware for the Summit stove" not in feed_part(page), tab


def test_member_cannot_announce(client_as, member, space):
    client = client_as(member)
    assert client.get(reverse("announce")).status_code == 403
    response = client.post(reverse("announce"), ask_data(space))
    assert response.status_code == 403
    assert "Only the host team can post announcements." in visible(response)
    assert not Thread.objects.exists()


def test_anonymous_visitor_is_sent_to_log_in_before_asking(client, space):
    response = client.post(reverse("ask"), ask_data(space))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Thread.objects.exists()


# Bad input on the ask form


@pytest.mark.parametrize(
    ("overrides", "error", "kept"),
    [
        ({"title": ""}, "This field is required.", "My lager stopped at 1.030"),
        ({"body": "  "}, "This field is required.", "How do I restart a stuck fermentation?"),
        ({"title": "?!?! ... !!!"}, "The title needs some words.", "?!?! ... !!!"),
        ({"body": "b" * 20001}, "at most 20000 characters", "b" * 20001),
        ({"tags": "a, b, c, d, e, f"}, "Use at most 5 tags.", "a, b, c, d, e, f"),
    ],
    ids=["empty-title", "empty-body", "punctuation-title", "long-body", "six-tags"],
)
def test_bad_question_is_refused_and_the_draft_kept(client_as, member, space, overrides,
                                                    error, kept):
    response = client_as(member).post(reverse("ask"), ask_data(space, **overrides))

    assert response.status_code == 400
    page = visible(response)
    assert error in page
    assert kept in page
    assert 'role="alert"' in page
    assert not Thread.objects.exists()
    assert not Post.objects.exists()


def test_question_posted_twice_with_the_same_nonce_creates_one_thread(client_as, member,
                                                                      space):
    client = client_as(member)
    data = ask_data(space)
    first = client.post(reverse("ask"), data)
    second = client.post(reverse("ask"), data)

    thread = Thread.objects.get()
    assert first.status_code == 302
    assert second.status_code == 302
    assert second["Location"] == thread.get_absolute_url()
    assert "That was already posted." in visible(client.get(second["Location"]))


def test_same_form_twice_with_fresh_nonces_creates_two_threads(client_as, member, space):
    client = client_as(member)
    client.post(reverse("ask"), ask_data(space))
    client.post(reverse("ask"), ask_data(space))
    assert Thread.objects.count() == 2


def test_ask_form_offers_a_fresh_nonce_and_preselects_the_space(client_as, member, space):
    page = visible(client_as(member).get(reverse("ask"), {"space": space.slug}))
    assert re.search(r'name="nonce" value="[0-9a-f]{32}"', page)
    assert re.search(rf'<option value="{space.pk}" selected>Brewing</option>', page)


# Similar questions


def test_similar_questions_finds_a_matching_question(client, member, space):
    question(member, space, title="Stuck fermentation at 1.020 with ale yeast")
    question(member, space, title="Tent pole snapped in the wind")

    response = client.get(reverse("similar_questions"), {"title": "my fermentation is stuck"})

    page = visible(response)
    assert response.status_code == 200
    assert "Similar questions: is yours answered already?" in page
    assert "Stuck fermentation at 1.020 with ale yeast" in page
    assert "Tent pole snapped" not in page


def test_similar_questions_ignores_discussions(client, member, space):
    conversations.thread_create(
        author=member, space=space, kind=Thread.Kind.DISCUSSION,
        title="Fermentation photo thread", body="Show your krausen.",
    )
    page = visible(client.get(reverse("similar_questions"), {"title": "fermentation help"}))
    assert "Fermentation photo thread" not in page
    assert "No similar questions yet" in page


def test_similar_questions_is_empty_for_an_unrelated_title(client, member, space):
    question(member, space, title="Stuck fermentation at 1.020 with ale yeast")
    response = client.get(reverse("similar_questions"), {"title": "best winter sleeping bag"})
    page = visible(response)
    assert response.status_code == 200
    assert "Stuck fermentation" not in page
    assert "No similar questions yet: you may be the first to ask." in page


@pytest.mark.parametrize(
    "title",
    ["?!?!...---", "'\"();--", "fermentation " * 800, "x" * 10240, "&<>@#%", ""],
    ids=["punctuation", "quotes", "10kb-words", "10kb-one-word", "symbols", "empty"],
)
def test_similar_questions_survives_odd_titles(client, member, space, title):
    question(member, space, title="Stuck fermentation at 1.020 with ale yeast")
    response = client.get(reverse("similar_questions"), {"title": title})
    assert response.status_code == 200


# The thread page


@pytest.fixture
def long_thread(member, other_member, space):
    """A discussion with its opening post and 24 replies (two pages of 20)."""
    thread = conversations.thread_create(
        author=member, space=space, kind=Thread.Kind.DISCUSSION,
        title="Long running brew log", body="Day one: pitched the yeast.",
    )
    replies = [
        conversations.post_create(author=other_member, thread=thread, body=f"log-entry-{i:03d}")
        for i in range(1, 25)
    ]
    thread.refresh_from_db()
    return thread, replies


def test_thread_first_page_shows_the_first_twenty_posts(client, long_thread):
    thread, _ = long_thread
    page = visible(client.get(thread.get_absolute_url()))
    assert "Day one: pitched the yeast." in page
    assert "log-entry-019" in page
    assert "log-entry-020" not in page
    assert 'rel="next" href="?page=2"' in page


def test_thread_second_page_shows_the_later_posts(client, long_thread):
    thread, _ = long_thread
    response = client.get(thread.get_absolute_url(), {"page": 2})
    page = main_part(visible(response))
    assert response.status_code == 200
    assert "log-entry-020" in page
    assert "log-entry-024" in page
    assert "log-entry-019" not in page
    assert "Day one: pitched the yeast." not in page
    assert '<span aria-current="page">2</span>' in page


def test_thread_page_number_too_high_shows_the_last_page(client, long_thread):
    thread, _ = long_thread
    response = client.get(thread.get_absolute_url(), {"page": 999})
    page = main_part(visible(response))
    assert response.status_code == 200
    assert "log-entry-024" in page
    assert "Day one: pitched the yeast." not in page
    assert '<span aria-current="page">2</span>' in page


@pytest.mark.parametrize("raw", ["abc", "-3", "0", "1.5", ""])
def test_thread_page_number_that_is_not_a_page_shows_page_one(client, long_thread, raw):
    thread, _ = long_thread
    response = client.get(thread.get_absolute_url(), {"page": raw})
    page = visible(response)
    assert response.status_code == 200
    assert "Day one: pitched the yeast." in page
    assert "log-entry-024" not in page


def test_post_permalink_goes_to_the_page_holding_the_post(client, long_thread):
    thread, replies = long_thread
    later = replies[21]  # position 23
    earlier = replies[2]  # position 4

    response = client.get(reverse("post_permalink", args=[later.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{thread.get_absolute_url()}?page=2#post-{later.pk}"
    page = visible(client.get(response["Location"]))
    assert f'id="post-{later.pk}"' in page

    response = client.get(reverse("post_permalink", args=[earlier.pk]))
    assert response["Location"] == f"{thread.get_absolute_url()}?page=1#post-{earlier.pk}"


def test_permalink_to_unknown_post_is_404(client):
    assert client.get(reverse("post_permalink", args=[987654])).status_code == 404


def test_wrong_slug_redirects_permanently_to_the_canonical_address(client, long_thread):
    thread, _ = long_thread
    response = client.get(reverse("thread", args=[thread.pk, "old-title"]))
    assert response.status_code == 301
    assert response["Location"] == thread.get_absolute_url()

    response = client.get(reverse("thread", args=[thread.pk, "old-title"]), {"page": "2"})
    assert response.status_code == 301
    assert response["Location"] == f"{thread.get_absolute_url()}?page=2"


def test_unknown_thread_is_404(client):
    assert client.get(reverse("thread", args=[987654, "nothing"])).status_code == 404


def test_accepted_answer_comes_right_after_the_question(client, member, other_member, space):
    third = factories.UserFactory()
    thread = question(member, space, title="Which gas canister fits the Summit stove?")
    first_answer = conversations.post_create(
        author=other_member, thread=thread, body="first-answer-text"
    )
    best_answer = conversations.post_create(author=third, thread=thread, body="best-answer-text")
    conversations.answer_accept(actor=member, answer=best_answer)
    thread.refresh_from_db()

    page = visible(client.get(thread.get_absolute_url()))

    opening = page.index(f'id="post-{thread.opening_post_id}"')
    accepted = page.index(f'id="post-{best_answer.pk}"')
    other = page.index(f'id="post-{first_answer.pk}"')
    assert opening < accepted < other
    assert page.count(f'id="post-{best_answer.pk}"') == 1
    assert '<span class="badge badge-solved">Accepted answer</span>' in page[accepted:other]
    assert "Jump to the accepted answer" in page
    assert f'href="{reverse("post_permalink", args=[best_answer.pk])}"' in page
    assert "Other answers and replies" in page
    assert '<span class="badge badge-solved">Solved</span>' in page


def test_unsolved_question_has_no_accepted_answer_link(client, member, other_member, space):
    thread = question(member, space)
    conversations.post_create(author=other_member, thread=thread, body="Try a new jet.")
    page = visible(client.get(thread.get_absolute_url()))
    assert "Jump to the accepted answer" not in page
    assert "badge-solved" not in page


# Following a thread


def test_following_and_unfollowing_a_thread(client_as, member, other_member, space):
    thread = question(member, space)
    client = client_as(other_member)

    response = client.post(reverse("thread_follow", args=[thread.pk]), {"follow": "1"},
                           follow=True)
    assert "You follow this thread." in visible(response)
    assert ThreadFollow.objects.filter(user=other_member, thread=thread).exists()
    # Following is Watching: the level menu says so
    assert 'value="watching" class="level-option" aria-pressed="true"' in (
        client.get(thread.get_absolute_url()).content.decode())

    response = client.post(reverse("thread_follow", args=[thread.pk]), {"follow": "0"},
                           follow=True)
    assert "You no longer follow this thread." in visible(response)
    assert not ThreadFollow.objects.filter(user=other_member, thread=thread).exists()
    assert 'value="normal" class="level-option" aria-pressed="true"' in (
        client.get(thread.get_absolute_url()).content.decode())


def test_following_a_thread_with_htmx_returns_only_the_button(client_as, member, other_member,
                                                               space):
    thread = question(member, space)
    client = client_as(other_member)

    response = client.post(reverse("thread_follow", args=[thread.pk]), {"follow": "1"},
                           HTTP_HX_REQUEST="true")
    page = visible(response)
    assert response.status_code == 200
    assert "<html" not in page
    assert 'aria-pressed="true"' in page
    assert "Following ✓" in page
    assert 'name="follow" value="0"' in page
    assert ThreadFollow.objects.filter(user=other_member, thread=thread).count() == 1

    response = client.post(reverse("thread_follow", args=[thread.pk]), {"follow": "0"},
                           HTTP_HX_REQUEST="true")
    page = visible(response)
    assert 'aria-pressed="false"' in page
    assert "Follow thread" in page
    assert not ThreadFollow.objects.filter(user=other_member, thread=thread).exists()


def test_following_needs_a_login(client, member, space):
    thread = question(member, space)
    response = client.post(reverse("thread_follow", args=[thread.pk]), {"follow": "1"})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert ThreadFollow.objects.filter(thread=thread).count() == 1  # only the asker
