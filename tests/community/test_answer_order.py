"""The order of a question's answers: most helpful (a stored lower bound on each answer's
share of the helpful votes), oldest or newest first, the accepted answer pinned; the
reader's choice; paging; the caches; and the measurement on the real beer dump."""
import re
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community.engine import answer_order, answer_order_eval
from community.models import EngagementEvent, Post, Space, Thread, User, Vote
from community.services import conversations
from tests.evaldata import BEER, BEER_STAFF

from .. import budgets, factories
from ..conftest import sign_in

pytestmark = pytest.mark.django_db


def _question(answers: int, *, title="Which kettle?"):
    """A question and ``answers`` answers, a minute apart (bodies "answer-01", ...)."""
    asker = factories.UserFactory()
    thread = conversations.thread_create(author=asker, space=factories.SpaceFactory(),
                                         kind=Thread.Kind.QUESTION, title=title,
                                         body="Which kettle for 20 litres?")
    start = timezone.now() - timedelta(days=1)
    made = [conversations.post_create(author=factories.UserFactory(), thread=thread,
                                      body=f"answer-{n:02d}",
                                      created_at=start + timedelta(minutes=n))
            for n in range(1, answers + 1)]
    thread.refresh_from_db()
    return thread, made


def _helpful(answer, voters: int):
    for _ in range(voters):
        assert conversations.vote_cast(voter=factories.UserFactory(), post=answer,
                                       kind=Vote.Kind.HELPFUL)


def _order(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r"<p>(answer-\d\d)</p>", response.content.decode())


def _shown(client, thread, **query) -> list[str]:
    return _order(client.get(thread.get_absolute_url(), query))


def test_more_helpful_votes_rank_higher_and_ties_keep_the_earlier_answer(client):
    thread, (first, second, third) = _question(3)
    assert _shown(client, thread) == ["answer-01", "answer-02", "answer-03"]  # no votes yet
    _helpful(third, 3)
    _helpful(second, 1)
    assert _shown(client, thread) == ["answer-03", "answer-02", "answer-01"]
    _helpful(first, 1)
    # first and second: one vote each out of the same five: the earlier one first.
    assert _shown(client, thread) == ["answer-03", "answer-01", "answer-02"]


def test_one_vote_of_one_does_not_beat_twenty_of_twenty_two():
    assert answer_order.helpful_lower_bound(1, 1) < answer_order.helpful_lower_bound(20, 22)
    assert answer_order.helpful_lower_bound(0, 0) == 0.0
    assert answer_order.helpful_lower_bound(3, 3) > answer_order.helpful_lower_bound(2, 2)


def test_an_answer_voted_for_early_keeps_its_place_over_a_late_one_with_a_single_vote(client):
    thread, (early,) = _question(1)
    _helpful(early, 5)
    late = conversations.post_create(author=factories.UserFactory(), thread=thread,
                                     body="answer-02")
    _helpful(late, 1)  # 1 of 1 seen; the early one has 5 of 6
    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.helpful_count, early.helpful_seen, late.helpful_count, late.helpful_seen) == (
        5, 6, 1, 1)
    assert _shown(client, thread) == ["answer-01", "answer-02"]


def test_a_late_answer_that_wins_the_votes_cast_after_it_rises(client):
    thread, (early,) = _question(1)
    _helpful(early, 2)
    late = conversations.post_create(author=factories.UserFactory(), thread=thread,
                                     body="answer-02")
    _helpful(late, 6)  # the early one saw 8 votes and had 2; the late one 6 of 6
    assert _shown(client, thread) == ["answer-02", "answer-01"]


def test_the_accepted_answer_stays_pinned_first_in_every_order(client):
    thread, (first, second, third) = _question(3)
    _helpful(third, 4)
    conversations.answer_accept(actor=thread.author, answer=first)
    assert _shown(client, thread) == ["answer-01", "answer-03", "answer-02"]
    assert _shown(client, thread, order="newest") == ["answer-01", "answer-03", "answer-02"]
    assert _shown(client, thread, order="oldest") == ["answer-01", "answer-02", "answer-03"]


def test_a_members_helpful_vote_counts_once_and_withdrawing_it_undoes_it(member):
    thread, (first, second) = _question(2)
    assert conversations.vote_cast(voter=member, post=second, kind=Vote.Kind.HELPFUL)
    assert not conversations.vote_cast(voter=member, post=second, kind=Vote.Kind.HELPFUL)
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.helpful_count, second.helpful_seen) == (1, 1)
    assert first.helpful_seen == 1 and first.helpful_score == 0.0
    assert second.helpful_score == pytest.approx(answer_order.helpful_lower_bound(1, 1))
    assert conversations.vote_withdraw(voter=member, post=second, kind=Vote.Kind.HELPFUL)
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.helpful_count, second.helpful_seen, second.helpful_score) == (0, 0, 0.0)
    assert first.helpful_seen == 0


def test_the_stored_numbers_match_a_rescore_from_the_vote_rows(member):
    thread, answers = _question(3)
    _helpful(answers[2], 2)
    conversations.vote_cast(voter=member, post=answers[0], kind=Vote.Kind.HELPFUL)
    kept = list(Post.objects.filter(thread=thread, kind="answer").order_by("pk").values_list(
        "helpful_count", "helpful_seen", "helpful_score"))
    Post.objects.filter(thread=thread).update(helpful_count=0, helpful_seen=0,
                                              helpful_score=0.0)
    answer_order.answers_rescore(thread_ids=[thread.pk])
    again = list(Post.objects.filter(thread=thread, kind="answer").order_by("pk").values_list(
        "helpful_count", "helpful_seen", "helpful_score"))
    assert [(k, n) for k, n, _ in again] == [(k, n) for k, n, _ in kept]
    assert [s for *_, s in again] == pytest.approx([s for *_, s in kept])


def test_a_members_choice_is_remembered_across_visits_and_recorded_once(client, member):
    thread, _ = _question(3)
    sign_in(client, member)
    assert _shown(client, thread, order="newest") == ["answer-03", "answer-02", "answer-01"]
    assert _shown(client, thread) == ["answer-03", "answer-02", "answer-01"]
    assert User.objects.get(pk=member.pk).answer_order == "newest"
    other, _ = _question(2, title="Which yeast?")
    assert _shown(client, other) == ["answer-02", "answer-01"]  # every question
    _shown(client, thread, order="newest")  # the same choice again: nothing to record
    chosen = EngagementEvent.objects.filter(kind=EngagementEvent.Kind.ANSWER_ORDER_CHOSEN)
    assert list(chosen.values_list("actor_id", "payload")) == [(member.pk,
                                                                {"order": "newest"})]
    page = client.get(thread.get_absolute_url()).content.decode()
    assert 'aria-current="true"><strong>Newest first' in page


def test_an_anonymous_readers_choice_lasts_only_as_long_as_the_address(client):
    thread, answers = _question(2)
    _helpful(answers[0], 1)
    assert _shown(client, thread, order="newest") == ["answer-02", "answer-01"]
    assert _shown(client, thread) == ["answer-01", "answer-02"]
    assert not EngagementEvent.objects.filter(
        kind=EngagementEvent.Kind.ANSWER_ORDER_CHOSEN).exists()


@pytest.mark.parametrize("value", ["bogus", "", "NEWEST", "helpful'--", "новые", "x" * 5000])
def test_an_unknown_order_falls_back_to_the_default_and_changes_nothing(client, member, value):
    thread, answers = _question(2)
    _helpful(answers[1], 1)
    assert _shown(client, thread, order=value) == ["answer-02", "answer-01"]
    member.answer_order = "oldest"
    member.save(update_fields=["answer_order"])
    sign_in(client, member)
    assert _shown(client, thread, order=value) == ["answer-01", "answer-02"]
    assert User.objects.get(pk=member.pk).answer_order == "oldest"


def test_a_discussion_is_read_in_date_order_whatever_the_choice(client):
    thread = conversations.thread_create(author=factories.UserFactory(),
                                         space=factories.SpaceFactory(), kind="discussion",
                                         title="Brew day", body="Who is brewing?")
    for n in (1, 2):
        conversations.post_create(author=factories.UserFactory(), thread=thread,
                                  body=f"answer-{n:02d}")
    assert _shown(client, thread, order="newest") == ["answer-01", "answer-02"]
    assert "Order of answers" not in client.get(thread.get_absolute_url()).content.decode()


def test_pages_follow_the_helpful_order_and_replies_stay_with_their_answer(client, member):
    thread, answers = _question(25)
    reply = conversations.post_create(author=member, thread=thread, body="reply-to-last",
                                      parent=answers[-1])
    conversations.post_create(author=member, thread=thread, body="reply-to-reply",
                              parent=reply)
    _helpful(answers[-1], 2)
    _helpful(answers[-2], 1)
    one = client.get(thread.get_absolute_url()).content.decode()
    first = _order(client.get(thread.get_absolute_url()))
    second = _order(client.get(thread.get_absolute_url(), {"page": 2}))
    # 20 posts a page: the question, answer 25 and its two replies, answer 24, then the
    # others (no votes) oldest first.
    assert first == ["answer-25", "answer-24"] + [f"answer-{n:02d}" for n in range(1, 16)]
    assert second == [f"answer-{n:02d}" for n in range(16, 24)]
    assert one.index("<p>answer-25</p>") < one.index("<p>reply-to-last</p>") < one.index(
        "<p>reply-to-reply</p>") < one.index("<p>answer-24</p>")
    assert 'href="?page=2"' in one
    # Anonymous readers in another order keep it from page to page.
    newest = client.get(thread.get_absolute_url(), {"order": "newest"}).content.decode()
    assert 'href="?page=2&amp;order=newest"' in newest
    assert _shown(client, thread, order="newest", page=2) == [
        f"answer-{n:02d}" for n in range(8, 0, -1)]
    # A permalink leads to the page that shows the post in the reader's order.
    link = client.get(reverse("post_permalink", args=[answers[17].pk]))
    assert link.status_code == 302 and "page=2" in link["Location"]
    assert _order(client.get(thread.get_absolute_url(), {"page": 99})) == second


def test_a_members_held_answer_shows_to_them_in_the_helpful_order(client, member):
    thread, answers = _question(2)
    _helpful(answers[1], 1)
    held = conversations.post_create(author=member, thread=thread, body="answer-03")
    Post.objects.filter(pk=held.pk).update(status=Post.Status.HELD)
    assert _shown(client, thread) == ["answer-02", "answer-01"]
    sign_in(client, member)
    assert _shown(client, thread) == ["answer-02", "answer-01", "answer-03"]


def test_with_the_page_cache_on_a_vote_that_changes_the_order_shows_at_once(client, member):
    thread, (first, second) = _question(2)
    url = thread.get_absolute_url()
    reader = Client()
    sign_in(reader, factories.UserFactory())
    assert _order(client.get(url)) == ["answer-01", "answer-02"]
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert _order(reader.get(url)) == ["answer-01", "answer-02"]
    conversations.vote_cast(voter=member, post=second, kind=Vote.Kind.HELPFUL)
    assert _order(client.get(url)) == ["answer-02", "answer-01"]
    assert _order(reader.get(url)) == ["answer-02", "answer-01"]
    assert _order(reader.get(url, {"order": "oldest"})) == ["answer-01", "answer-02"]
    assert _order(reader.get(url)) == ["answer-01", "answer-02"]  # their body, kept by order
    conversations.vote_withdraw(voter=member, post=second, kind=Vote.Kind.HELPFUL)
    assert _order(client.get(url)) == ["answer-01", "answer-02"]


def _grown(answers: int) -> Thread:
    """A question with ``answers`` answers (written in bulk), every other one voted for."""
    thread, _ = _question(0)
    authors = [factories.UserFactory() for _ in range(3)]
    start = timezone.now() - timedelta(days=1)
    made = Post.objects.bulk_create(
        Post(thread=thread, kind=Post.Kind.ANSWER, author=authors[n % 3], position=n + 1,
             body=f"answer-{n:02d}", body_html=f"<p>answer-{n:02d}</p>", render_version=1,
             created_at=start + timedelta(seconds=n))
        for n in range(1, answers + 1))
    Thread.objects.filter(pk=thread.pk).update(post_count=answers + 1, answer_count=answers)
    Vote.objects.bulk_create(Vote(post=post, voter=voter, kind=Vote.Kind.HELPFUL)
                             for post in made[::2] for voter in authors)
    answer_order.answers_rescore(thread_ids=[thread.pk])
    return thread


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_the_helpful_and_newest_orders_cost_the_same_at_two_sizes(client, viewer):
    if viewer == "member":
        client.force_login(factories.UserFactory())
    sizes = {}
    for answers in (4, 1000):
        thread = _grown(answers)
        sizes[answers] = {
            f"{order} page {page}": budgets.queries(
                client, thread.get_absolute_url() + f"?order={order}&page={page}")
            for order in ("helpful", "newest") for page in (1, 2, 99)}
    budgets.assert_flat(sizes[4], sizes[1000])


@pytest.mark.page_cache_off(reason="what a page costs when nothing is kept (after a write)")
@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_made_afresh_the_helpful_order_costs_the_same_at_two_sizes(client, viewer):
    if viewer == "member":
        client.force_login(factories.UserFactory())
    sizes = {answers: {f"page {page}": budgets.queries(
        client, _grown(answers).get_absolute_url() + f"?page={page}") for page in (1, 2)}
        for answers in (4, 1000)}
    budgets.assert_flat(sizes[4], sizes[1000])


def test_the_command_refuses_an_unknown_space():
    with pytest.raises(Exception, match="No space 'nowhere'"):
        call_command("evaluate_answer_order", "--space", "nowhere")


def test_the_evaluation_counts_only_votes_cast_before_the_acceptance():
    thread, (first, second) = _question(2)
    accepted = timezone.now()
    conversations.answer_accept(actor=thread.author, answer=first)
    Thread.objects.filter(pk=thread.pk).update(accepted_at=accepted)
    for _ in range(3):  # after the acceptance: they must not count
        Vote.objects.create(post=second, voter=factories.UserFactory(), kind="helpful",
                            created_at=accepted + timedelta(hours=1))
    Vote.objects.create(post=first, voter=factories.UserFactory(), kind="helpful",
                        created_at=accepted - timedelta(days=2))
    result = answer_order_eval.evaluate(Space.objects.get(threads=thread))
    strict = result["strict"]["all"]
    assert strict["questions"] == 1
    assert strict["up-votes"] == strict["helpful"] == strict["date"] == 1.0
    assert strict["newest"] == 0.0
    assert result["same_day"]["all"]["up-votes"] == 0.0  # the next hour's votes counted


@pytest.mark.skipif(not BEER.is_dir(), reason="the evaluation dump is not on this machine")
def test_on_the_beer_dump_the_helpful_order_beats_up_votes_and_date():
    call_command("import_stackexchange", str(BEER), "--space", "beer", "--no-progress",
                 "--staff-user-ids", BEER_STAFF, stdout=StringIO())
    assert Thread.objects.filter(accepted_at__isnull=False).count() == 359
    started = time.perf_counter()
    out = StringIO()
    call_command("evaluate_answer_order", "--space", "beer", stdout=out)
    assert time.perf_counter() - started < 60
    assert "| helpful |" in out.getvalue()
    result = answer_order_eval.evaluate(Space.objects.get(slug="beer"))
    assert result["questions"] == 240
    for reading in ("strict", "same_day"):
        shares = result[reading]["all"]
        assert shares["helpful"] > shares["up-votes"] > shares["date"] > shares["newest"]
    assert result["strict"]["all"]["date"] == pytest.approx(128 / 240)
    assert result["same_day"]["all"]["up-votes"] == pytest.approx(191 / 240)
    assert result["z_chosen_on_first_70pct"] == answer_order.Z
