"""The engagement engine: customer-to-customer threads rise, staff monologues sink."""
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community.engine import engagement, ranking, scoring
from community.models import EngagementEvent, QuestionRoute, Thread, User, Vote
from community.services import conversations

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def space():
    return factories.SpaceFactory(name="Kettles")


def _members(n, **kwargs):
    return [factories.UserFactory(**kwargs) for _ in range(n)]


def _feed_titles(client, tab="conversations"):
    page = client.get(reverse("home"), {"tab": tab})
    return [t.title for t in page.context["page"].threads]


def test_customers_helping_each_other_beat_a_staff_monologue(client, space):
    hosts = [factories.HostFactory(), factories.HostFactory()]
    customers = _members(6)
    started = timezone.now() - timedelta(hours=3)
    peer = conversations.thread_create(
        author=customers[0], space=space, kind=Thread.Kind.QUESTION,
        title="Which chiller for a 30 litre kettle?", body="Help me choose.",
        created_at=started,
    )
    for i, helper in enumerate(customers[1:], start=1):
        answer = conversations.post_create(author=helper, thread=peer, body=f"Answer {i}")
        conversations.post_create(author=customers[0], thread=peer, body="Thanks!",
                                  parent=answer)
    brand = conversations.thread_create(
        author=hosts[0], space=space, kind=Thread.Kind.DISCUSSION,
        title="Our new chiller range is here", body="Look at these.", created_at=started,
    )
    conversations.post_create(author=hosts[1], thread=brand, body="Order now!")
    conversations.post_create(author=hosts[0], thread=brand, body="Free shipping too.")
    engagement.process_pending()

    peer.refresh_from_db()
    brand.refresh_from_db()
    assert peer.social_score > brand.social_score
    assert (peer.member_participants, peer.peer_answers, peer.member_replies) == (6, 5, 5)
    assert brand.staff_posts == 3 and brand.scored_posts == 3
    assert _feed_titles(client)[:2] == [peer.title, brand.title]


def test_announcements_never_enter_the_conversation_feed(client, space):
    host = factories.HostFactory()
    conversations.thread_create(author=host, space=space, kind=Thread.Kind.ANNOUNCEMENT,
                                title="Brew-along on Saturday", body="Join us")
    conversations.thread_create(author=factories.UserFactory(), space=space,
                                kind=Thread.Kind.DISCUSSION, title="Saturday plans",
                                body="Who joins?")
    engagement.process_pending()
    assert _feed_titles(client) == ["Saturday plans"]
    assert "Brew-along on Saturday" in client.get(reverse("home")).content.decode()


def test_a_reply_between_members_moves_a_thread_up_once_processed(client, space):
    a, b, c = _members(3)
    old = timezone.now() - timedelta(hours=6)
    quiet = conversations.thread_create(author=a, space=space, kind=Thread.Kind.DISCUSSION,
                                        title="Older quiet thread", body="Hello?",
                                        created_at=old)
    conversations.thread_create(author=b, space=space, kind=Thread.Kind.DISCUSSION,
                                title="Newer thread", body="Hi all",
                                created_at=old + timedelta(hours=1))
    engagement.process_pending()
    assert _feed_titles(client) == ["Newer thread", "Older quiet thread"]

    reply = conversations.post_create(author=b, thread=quiet, body="I'm here!")
    conversations.post_create(author=c, thread=quiet, body="Me too", parent=reply)
    assert _feed_titles(client)[0] == "Newer thread"  # not yet: the engine has not run
    engagement.process_pending()
    assert _feed_titles(client)[0] == "Older quiet thread"


def test_processing_an_event_twice_changes_nothing(space):
    a, b = _members(2)
    thread = conversations.thread_create(author=a, space=space, kind=Thread.Kind.QUESTION,
                                         title="How long to condition?", body="Bottles.")
    conversations.post_create(author=b, thread=thread, body="Two weeks.")
    assert engagement.process_pending() == 2
    thread.refresh_from_db()
    first = (thread.social_score, thread.peer_answers)
    EngagementEvent.objects.update(processed_at=None)  # a redelivered batch
    assert engagement.process_pending() == 2
    thread.refresh_from_db()
    assert (thread.social_score, thread.peer_answers) == first
    assert not EngagementEvent.objects.filter(processed_at__isnull=True).exists()


def test_peer_help_counts_help_given_not_posts_written(space):
    asker, helper, chatter = _members(3)
    question = conversations.thread_create(author=asker, space=space,
                                           kind=Thread.Kind.QUESTION,
                                           title="Why is my beer cloudy?", body="Hazy.")
    answer = conversations.post_create(author=helper, thread=question, body="Chill haze.")
    conversations.answer_accept(actor=asker, answer=answer)
    conversations.vote_cast(voter=asker, post=answer, kind=Vote.Kind.HELPFUL)
    for n in range(5):
        conversations.post_create(author=chatter, thread=question, body=f"Chatter {n}",
                                  parent=answer)
    factories.UserFactory(invited_by=helper)
    engagement.process_pending()
    helper.refresh_from_db()
    chatter.refresh_from_db()
    assert (helper.help_answers, helper.help_accepted, helper.help_helpful,
            helper.help_invites) == (1, 1, 1, 1)
    assert helper.peer_help == ranking.peer_help(peer_answers=1, accepted_answers=1,
                                                 helpful_received=1, invites_joined=1)
    assert chatter.peer_help == 0 < chatter.engagement


def test_advocates_page_ranks_by_help_and_is_for_hosts(client, space, host, member):
    asker, helper = _members(2)
    question = conversations.thread_create(author=asker, space=space,
                                           kind=Thread.Kind.QUESTION,
                                           title="Best sanitiser?", body="Which one?")
    conversations.answer_accept(
        actor=asker,
        answer=conversations.post_create(author=helper, thread=question, body="Star San."),
    )
    engagement.process_pending()
    client.force_login(member)
    assert client.get(reverse("advocates")).status_code == 403
    client.force_login(host)
    body = client.get(reverse("advocates")).content.decode()
    assert helper.name in body and "Community helper" in body
    assert asker.name not in body
    profile = client.get(reverse("profile", args=[helper.username])).content.decode()
    assert "Community helper" in profile


def test_rescore_command_repairs_scores(space):
    a, b = _members(2)
    thread = conversations.thread_create(author=a, space=space, kind=Thread.Kind.DISCUSSION,
                                         title="Repair me", body="x")
    conversations.post_create(author=b, thread=thread, body="y")
    engagement.process_pending()
    thread.refresh_from_db()
    good = thread.social_score
    Thread.objects.update(social_score=0, member_participants=0)
    User.objects.update(peer_help=0)
    call_command("rescore", verbosity=0)
    thread.refresh_from_db()
    assert thread.social_score == good and thread.member_participants == 2


def test_questions_are_routed_to_likely_answerers_never_staff_or_asker(space):
    asker = factories.UserFactory()
    expert, owner, idle = _members(3)
    host = factories.HostFactory()
    from community.commerce import ownership
    from community.models import Tag

    kettle = factories.ProductFactory(name="Pro Kettle 30L",
                                      tag=Tag.objects.get_or_create(name="prokettle")[0])
    ownership.ownership_declare(member=owner, product=kettle)
    earlier = conversations.thread_create(author=idle, space=space,
                                          kind=Thread.Kind.QUESTION,
                                          title="Kettle element?", body="Which?")
    conversations.answer_accept(
        actor=idle,
        answer=conversations.post_create(author=expert, thread=earlier, body="The 3kW."),
    )
    conversations.post_create(author=host, thread=earlier, body="Staff answer")
    engagement.process_pending()

    question = conversations.thread_create(
        author=asker, space=space, kind=Thread.Kind.QUESTION,
        title="Pro Kettle 30L scorching the wort?", body="Burnt taste.", tags=["prokettle"],
    )
    engagement.process_pending()
    routed = set(QuestionRoute.objects.filter(thread=question).values_list("member_id",
                                                                           flat=True))
    assert expert.pk in routed and owner.pk in routed
    assert host.pk not in routed and asker.pk not in routed
    assert expert.notifications.filter(kind="routed", thread=question).exists()

    conversations.post_create(author=expert, thread=question, body="Lower the power.")
    engagement.process_pending()
    assert QuestionRoute.objects.get(thread=question, member=expert).answered_at is not None
    client = Client()
    client.force_login(host)
    page = client.get(reverse("advocates")).content.decode()
    assert re.search(r"of which <strong>1</strong> led to an answer \(\d+%\)", page)


def test_routing_respects_opt_out_and_weekly_cap(space, settings):
    settings.ROUTING_WEEKLY_CAP = 1
    expert, shy = _members(2)
    shy.accepts_routing = False
    shy.save()
    seed = conversations.thread_create(author=factories.UserFactory(), space=space,
                                       kind=Thread.Kind.QUESTION, title="Seed question",
                                       body="x")
    for helper in (expert, shy):
        conversations.post_create(author=helper, thread=seed, body="answer")
    engagement.process_pending()
    first = conversations.thread_create(author=factories.UserFactory(), space=space,
                                        kind=Thread.Kind.QUESTION, title="First question",
                                        body="x")
    second = conversations.thread_create(author=factories.UserFactory(), space=space,
                                         kind=Thread.Kind.QUESTION, title="Second question",
                                         body="x")
    engagement.process_pending()
    assert list(QuestionRoute.objects.filter(thread=first).values_list("member_id",
                                                                       flat=True)) == [expert.pk]
    assert not QuestionRoute.objects.filter(thread=second).exists()
    assert not QuestionRoute.objects.filter(member=shy).exists()


def test_why_is_this_here_shows_the_numbers(client, space):
    a, b = _members(2)
    thread = conversations.thread_create(author=a, space=space, kind=Thread.Kind.QUESTION,
                                         title="Show your numbers", body="x")
    conversations.post_create(author=b, thread=thread, body="answer")
    engagement.process_pending()
    body = client.get(reverse("home")).content.decode()
    assert "Why is this here?" in body
    assert "<strong>2</strong> members taking part" in body
    assert "<strong>1</strong> peer answer," in body


def test_scores_match_a_full_rescore_after_deletes_and_undos(space):
    a, b, c = _members(3)
    thread = conversations.thread_create(author=a, space=space, kind=Thread.Kind.QUESTION,
                                         title="Everything happens", body="x")
    answer = conversations.post_create(author=b, thread=thread, body="answer")
    reply = conversations.post_create(author=c, thread=thread, body="reply", parent=answer)
    conversations.vote_cast(voter=c, post=answer, kind=Vote.Kind.LIKE)
    conversations.vote_withdraw(voter=c, post=answer, kind=Vote.Kind.LIKE)
    conversations.post_delete(actor=c, post=reply)
    conversations.answer_accept(actor=a, answer=answer)
    engagement.process_pending()
    incremental = _snapshot()
    engagement.rescore_all()
    assert _snapshot() == incremental


def _snapshot():
    threads = list(Thread.objects.order_by("pk").values_list("pk", *scoring.THREAD_SCORE_FIELDS))
    fields = [f for f in scoring.MEMBER_SCORE_FIELDS if f != "scored_at"]
    members = list(User.objects.order_by("pk").values_list("pk", *fields))
    return threads, members
