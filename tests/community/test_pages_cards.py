"""Cached post cards: shared where they can be, never stale, never someone else's."""
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from community.models import Thread
from community.services import conversations

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread():
    question = conversations.thread_create(
        author=factories.UserFactory(display_name="Asker"), space=factories.SpaceFactory(),
        kind=Thread.Kind.QUESTION, title="Which yeast for a cold cellar?", body="It is 12°C.")
    conversations.post_create(author=factories.UserFactory(display_name="Answerer"),
                              thread=question, body="A kölsch strain copes.")
    return question


def _signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def _card_keys() -> int:
    import redis
    from django.conf import settings

    server = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    return sum(1 for _ in server.scan_iter(f"{prefix}:*card:*"))


def test_members_alike_share_cards_but_each_gets_their_own_token(thread):
    first, second = factories.UserFactory(), factories.UserFactory()
    one = _signed_in(first).get(thread.get_absolute_url()).content.decode()
    cached = _card_keys()
    two_client = _signed_in(second)
    two = two_client.get(thread.get_absolute_url()).content.decode()
    assert cached == 2 and _card_keys() == 2  # the second member rendered nothing new
    assert "A kölsch strain copes." in one and "A kölsch strain copes." in two
    assert "card-csrf-slot" not in one + two
    assert _tokens(one) and _tokens(two)
    # The second member's token works: their vote is accepted with CSRF checks on.
    answer = thread.posts.get(position=2)
    token = _tokens(two).pop()
    voted = two_client.post(reverse("post_vote", args=[answer.pk, "like"]),
                            {"csrfmiddlewaretoken": token})
    assert voted.status_code == 302


def test_a_vote_an_edit_and_a_new_name_show_at_once(thread, client):
    answer = thread.posts.get(position=2)
    voter = factories.UserFactory()
    client.force_login(voter)
    assert 'aria-pressed="false"' in client.get(thread.get_absolute_url()).content.decode()
    conversations.vote_cast(voter=voter, post=answer, kind="like")
    page = client.get(thread.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in page

    conversations.post_edit(actor=answer.author, post=answer, body="A kölsch or a lager strain.")
    answer.author.display_name = "Renamed Answerer"
    answer.author.save()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "A kölsch or a lager strain." in page and "Renamed Answerer" in page
    assert "A kölsch strain copes." not in page


def test_a_reader_who_cannot_vote_sees_counts_only_once_there_are_some(thread, client):
    answer = thread.posts.get(position=2)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "0 likes" not in page and "0 found this helpful" not in page
    conversations.vote_cast(voter=factories.UserFactory(), post=answer, kind="like")
    for voter in factories.UserFactory.create_batch(2):
        conversations.vote_cast(voter=voter, post=answer, kind="helpful")
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "1 like" in page and "2 found this helpful" in page


def test_your_own_post_and_a_hosts_view_are_their_own_cards(thread, client):
    answer = thread.posts.get(position=2)
    client.force_login(answer.author)
    own = client.get(thread.get_absolute_url()).content.decode()
    assert f'href="{reverse("post_edit", args=[answer.pk])}"' in own
    client.force_login(factories.UserFactory())
    other = client.get(thread.get_absolute_url()).content.decode()
    assert f'href="{reverse("post_edit", args=[answer.pk])}"' not in other
    client.force_login(factories.HostFactory())
    host = client.get(thread.get_absolute_url()).content.decode()
    assert "Edit as host" in host and "Edit as host" not in other


def test_the_accepted_answer_is_second_on_page_one(thread, client, settings):
    answer = thread.posts.get(position=2)
    conversations.post_create(author=factories.UserFactory(), thread=thread, body="Or ale.")
    conversations.answer_accept(actor=thread.author, answer=answer)
    # Rendered afresh: a new namespace rather than clearing Redis under the other workers.
    settings.CACHES = {**settings.CACHES, "default": {
        **settings.CACHES["default"], "KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"]
        + "-fresh"}}
    cache.close()
    page = client.get(thread.get_absolute_url()).content.decode()
    order = [m for m in re.findall(r'<article id="post-(\d+)"', page)]
    assert order[:2] == [str(thread.opening_post_id), str(answer.pk)]
    assert order.count(str(answer.pk)) == 1
    assert "Other answers and replies" in page


def _post_section(html: str, pk: int) -> str:
    """What the post says, as its readers see it."""
    start = html.index('<div class="post-body prose" dir="auto">',
                       html.index(f'<article id="post-{pk}"'))
    return html[start:html.index("</div>", start)]


def test_slot_markers_written_in_a_post_stay_text_and_never_carry_a_token(thread):
    body = ("Try csrf-slot and form-slot-nonce, [a link](https://example.com/csrf-slot) and "
            "slot-0123456789abcdef0123456789abcdef-csrf.")
    sneaky = conversations.post_create(author=factories.UserFactory(), thread=thread, body=body)
    reader = factories.UserFactory()
    client = _signed_in(reader)
    for _ in range(2):  # rendered, then served from the kept cards and body
        page = client.get(thread.get_absolute_url()).content.decode()
        card = _post_section(page, sneaky.pk)
        assert "Try csrf-slot and form-slot-nonce" in card
        assert 'href="https://example.com/csrf-slot"' in card
        assert "slot-0123456789abcdef0123456789abcdef-csrf" in card
        token = client.cookies["csrftoken"].value
        assert token not in card
        for value in _tokens(page):
            assert value not in card
    # The reply box still carries a token that works.
    replied = client.post(reverse("thread_reply", args=[thread.pk]), {
        "csrfmiddlewaretoken": _tokens(page).pop(), "body": "Thanks, noted.",
        "nonce": page.split('name="nonce" value="')[1].split('"')[0]})
    assert replied.status_code == 302
    assert thread.posts.filter(body="Thanks, noted.", author=reader).exists()


def test_a_body_kept_by_another_process_is_served_with_this_readers_token(thread):
    import redis
    from django.conf import settings

    from community.pages import slots

    reader = _signed_in(factories.UserFactory())
    reader.get(thread.get_absolute_url())
    # Another process, another marker: rewrite what is kept as if it had rendered it.
    server = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    other = "slot-" + "ab" * 16
    kept = list(server.scan_iter(f"{prefix}:*card:*")) + list(
        server.scan_iter(f"{prefix}:*pc:frag:*"))
    assert kept
    for key in kept:
        value = server.get(key)
        if value and slots.SLOT_MARK.encode() in value:
            server.set(key, value.replace(slots.SLOT_MARK.encode(), other.encode()))
    from community.pages.store import recent

    recent.items.clear()
    page = reader.get(thread.get_absolute_url()).content.decode()
    assert other not in page and slots.SLOT_MARK not in page
    token = _tokens(page).pop()
    answer = thread.posts.get(position=2)
    voted = reader.post(reverse("post_vote", args=[answer.pk, "like"]),
                        {"csrfmiddlewaretoken": token})
    assert voted.status_code == 302


@pytest.mark.parametrize("field", __import__(
    "community.selectors.threads", fromlist=["CARD_FIELDS"]).CARD_FIELDS)
def test_every_field_the_selector_loads_for_a_card_is_in_its_key(thread, field):
    """A field is added to a card in one place, the selector's ``CARD_FIELDS``: a change of
    its value makes a new key, so the card is rendered again."""
    from community.pages import cards
    from community.selectors.threads import thread_get, thread_page

    reply = conversations.post_create(author=factories.UserFactory(), thread=thread,
                                      body="Try a lager yeast.",
                                      parent=thread.posts.get(position=2))
    page = thread_page(thread=thread_get(thread.pk), page=1, viewer=factories.UserFactory())
    post = next(p for p in page.posts if p.pk == reply.pk)
    args = (thread, page, True, False, {"may_vote": True})
    before = cards._key(post, *args)
    *path, name = field.split("__")
    owner = post
    for step in path:
        owner = getattr(owner, step)
    value = getattr(owner, name)
    changed = {bool: lambda v: not v, int: lambda v: v + 1}.get(type(value), lambda v: f"{v}!")
    setattr(owner, name, changed(value) if value is not None else "set")
    assert cards._key(post, *args) != before, field
