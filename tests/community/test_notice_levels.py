"""Notification levels of threads and spaces, the pause of all notifications, and the
digest's frequency: who hears what, what is emailed, what the member sees and can change."""
import html
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.engine import engagement, notice_settings, notifications
from community.models import (
    EngagementEvent,
    Notification,
    SpaceFollow,
    Thread,
    ThreadFollow,
    User,
)
from community.services import conversations, notice_levels
from community.tasks import send_digests, send_notification_emails

from .. import factories
from ..conftest import links_in

pytestmark = pytest.mark.django_db

T, S = ThreadFollow.Level, SpaceFollow.Level


@pytest.fixture
def space():
    return factories.SpaceFactory(name="Brewing")


def _kinds(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def _run():
    engagement.process_pending()
    send_notification_emails()


def _visible(response) -> str:
    return html.unescape(response.content.decode())


def _conversation(space, reader, *, thread_level=None, space_level=None):
    """A question by ``reader``'s neighbour, with ``reader``'s levels set by hand, then: an
    answer by someone else, a reply to ``reader``'s own post, a mention of ``reader`` and
    a plain reply to another post. Returns the thread."""
    asker, helper = factories.UserFactory(), factories.UserFactory()
    thread = conversations.thread_create(author=asker, space=space, kind=Thread.Kind.QUESTION,
                                         title="Hazy beer?", body="Why so hazy?")
    own = conversations.post_create(author=reader, thread=thread, body="Cold crash it.")
    ThreadFollow.objects.filter(user=reader, thread=thread).delete()  # taking part: Watching
    if thread_level:
        ThreadFollow.objects.create(user=reader, thread=thread, level=thread_level)
    if space_level:
        SpaceFollow.objects.create(user=reader, space=space, level=space_level)
    engagement.process_pending()
    Notification.objects.filter(recipient=reader).delete()
    answer = conversations.post_create(author=helper, thread=thread, body="Chill haze.")
    conversations.post_create(author=helper, thread=thread, body="Agreed.", parent=own)
    conversations.post_create(author=helper, thread=thread, body=f"What do you say, "
                                                                f"@{reader.username}?")
    conversations.post_create(author=asker, thread=thread, body="Thanks.", parent=answer)
    _run()
    return thread


# Fan-out by level -------------------------------------------------------------------------

# (thread level, space level) -> what the reader hears of the four posts: the answer
# (not to them), the reply to their post, the mention, the reply to the answer.
EVERY_POST = ["mention", "reply", "reply", "reply"]
NORMAL = ["mention", "reply"]
LEVELS = [
    (None, None, NORMAL),
    (T.WATCHING, None, EVERY_POST),
    (T.NORMAL, None, NORMAL),
    (T.MUTED, None, []),
    (None, S.WATCHING, EVERY_POST),
    (None, S.WATCHING_FIRST, NORMAL),
    (None, S.NORMAL, NORMAL),
    (None, S.MUTED, []),  # a mention does not break through a mute
    (T.WATCHING, S.MUTED, EVERY_POST),  # the narrower level wins
    (T.NORMAL, S.MUTED, NORMAL),
    (T.MUTED, S.WATCHING, []),
    (T.NORMAL, S.WATCHING, NORMAL),
    (T.WATCHING, S.WATCHING_FIRST, EVERY_POST),
    (T.MUTED, S.WATCHING_FIRST, []),
]


@pytest.mark.parametrize(("thread_level", "space_level", "heard"), LEVELS)
def test_each_level_and_each_combination_of_space_and_thread(space, member, thread_level,
                                                             space_level, heard):
    _conversation(space, member, thread_level=thread_level, space_level=space_level)
    assert _kinds(member) == heard


@pytest.mark.parametrize(("space_level", "told"), [
    (S.WATCHING, ["new_thread"]), (S.WATCHING_FIRST, ["new_thread"]), (S.NORMAL, []),
    (S.MUTED, []), (None, [])])
def test_new_threads_reach_who_watches_the_space(space, member, other_member, space_level,
                                                 told):
    if space_level:
        SpaceFollow.objects.create(user=member, space=space, level=space_level)
    conversations.thread_create(author=other_member, space=space, kind="discussion",
                                title="Kit day", body="Look!")
    _run()
    assert _kinds(member) == told


def test_a_muted_space_silences_mentions_in_new_threads_too(space, member, other_member):
    SpaceFollow.objects.create(user=member, space=space, level=S.MUTED)
    conversations.thread_create(author=other_member, space=space, kind="discussion",
                                title="Kit day", body=f"Look @{member.username}!")
    _run()
    assert _kinds(member) == []


def test_a_muted_thread_silences_votes_and_the_accepted_answer(space, member, other_member):
    thread = conversations.thread_create(author=other_member, space=space, kind="question",
                                         title="Yeast?", body="Which one?")
    answer = conversations.post_create(author=member, thread=thread, body="US-05.")
    notice_levels.thread_level_set(actor=member, thread=thread, level=T.MUTED)
    conversations.vote_cast(voter=other_member, post=answer, kind="helpful")
    conversations.answer_accept(actor=other_member, answer=answer)
    _run()
    assert _kinds(member) == []


def test_host_decisions_are_fixed_and_never_muted():
    assert notice_settings.fixed(Notification.Kind.MODERATED)
    assert not notice_settings.fixed(Notification.Kind.MENTION)


def test_taking_part_watches_but_keeps_a_chosen_level(space, member, other_member):
    thread = conversations.thread_create(author=other_member, space=space, kind="discussion",
                                         title="Hops", body="Which?")
    notice_levels.thread_level_set(actor=member, thread=thread, level=T.MUTED)
    conversations.post_create(author=member, thread=thread, body="Citra.")
    assert ThreadFollow.objects.get(user=member, thread=thread).level == T.MUTED
    other = conversations.thread_create(author=other_member, space=space, kind="discussion",
                                        title="Malt", body="Which?")
    conversations.post_create(author=member, thread=other, body="Maris Otter.")
    assert ThreadFollow.objects.get(user=member, thread=other).level == T.WATCHING


def test_following_again_after_a_mute_watches(space, member, other_member):
    thread = conversations.thread_create(author=other_member, space=space, kind="discussion",
                                         title="Hops", body="Which?")
    notice_levels.thread_level_set(actor=member, thread=thread, level=T.MUTED)
    conversations.thread_follow_set(user=member, thread=thread, follow=True)
    assert ThreadFollow.objects.get(user=member, thread=thread).level == T.WATCHING
    notice_levels.space_level_set(actor=member, space=space, level=S.MUTED)
    conversations.space_follow_set(user=member, space=space, follow=True)
    assert SpaceFollow.objects.get(user=member, space=space).level == S.WATCHING_FIRST


def test_a_muted_space_is_not_followed_on_the_home_page(client_as, space, member, other_member):
    conversations.thread_create(author=other_member, space=space, kind="discussion",
                                title="Brew day photos", body="Look!")
    notice_levels.space_level_set(actor=member, space=space, level=S.MUTED)
    page = _visible(client_as(member).get(reverse("home")))
    assert "Follow a space or a tag and its threads show here first" in page  # "For you": empty


def _fan_out_queries(space, watchers: int) -> int:
    author = factories.UserFactory()
    thread = conversations.thread_create(author=author, space=space, kind="discussion",
                                         title="Big thread", body="Hello.")
    for n in range(watchers):
        reader = factories.UserFactory()
        ThreadFollow.objects.create(user=reader, thread=thread,
                                    level=[T.WATCHING, T.MUTED, T.NORMAL][n % 3])
        SpaceFollow.objects.create(user=factories.UserFactory(), space=space,
                                   level=[S.WATCHING, S.MUTED, S.WATCHING_FIRST][n % 3])
    engagement.process_pending()
    conversations.post_create(author=author, thread=thread, body=f"Hi @{author.username}")
    events = list(EngagementEvent.objects.filter(processed_at__isnull=True).order_by("pk"))
    with CaptureQueriesContext(connection) as ctx:
        notices = notifications.notices_for_events(events)
    assert len(notices) == 2 * ((watchers + 2) // 3)  # thread and space watchers
    return len(ctx.captured_queries)


def test_fan_out_costs_the_same_queries_for_3_or_60_watchers(space):
    small = _fan_out_queries(space, 3)
    large = _fan_out_queries(factories.SpaceFactory(name="Other"), 60)
    assert small == large <= 6


# Pause ------------------------------------------------------------------------------------

def test_a_pause_stops_email_but_not_site_notices_and_ends_without_a_burst(
        client_as, space, member, other_member):
    notice_levels.notices_pause(actor=member, until=timezone.now() + timedelta(days=7))
    assert notice_settings.is_snoozed(member)
    thread = conversations.thread_create(author=member, space=space, kind="question",
                                         title="Paused?", body="Gone fishing.")
    conversations.post_create(author=other_member, thread=thread, body="Answer one.")
    _run()
    assert _kinds(member) == ["answer"]  # on the site, quietly
    assert mail.outbox == []
    assert Notification.objects.get(recipient=member).emailed_at is not None  # handled
    page = _visible(client_as(member).get(reverse("notifications")))
    assert "Notifications paused until" in page and "End pause now" in page
    assert "paused until" in _visible(client_as(member).get(reverse("notification_bell")))
    # one more made while paused but not reached by the mailer yet, then the pause ends
    conversations.post_create(author=other_member, thread=thread, body="Answer two.")
    engagement.process_pending()
    response = client_as(member).post(reverse("notices_resume"),
                                      HTTP_REFERER=thread.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    member.refresh_from_db()
    assert member.notices_paused_until is None and not notice_settings.is_snoozed(member)
    send_notification_emails()
    assert mail.outbox == []  # nothing piles up
    conversations.post_create(author=other_member, thread=thread, body="Answer three.")
    _run()
    assert len(mail.outbox) == 1  # after the pause, as before
    kinds = list(EngagementEvent.objects.filter(actor=member, kind__in=[
        EngagementEvent.Kind.NOTICES_PAUSED, EngagementEvent.Kind.NOTICES_RESUMED])
        .order_by("pk").values_list("kind", flat=True))
    assert kinds == ["notices_paused", "notices_resumed"]


def test_a_pause_that_ran_out_is_over_by_itself(member):
    User.objects.filter(pk=member.pk).update(
        notices_paused_until=timezone.now() - timedelta(minutes=1))
    member.refresh_from_db()
    assert not notice_settings.is_snoozed(member)
    assert notice_settings.paused_until(member) is None


@pytest.mark.parametrize(("data", "error"), [
    ({"length": "date", "until": "2001-01-01"}, "Choose a date in the future."),
    ({"length": "date", "until": ""}, "Choose the date your pause ends."),
    ({"length": "date", "until": "not a date"}, "Enter a valid date."),
    ({"length": "forever"}, "Select a valid choice."),
])
def test_a_bad_pause_is_refused_with_the_form(client_as, member, data, error):
    response = client_as(member).post(reverse("notices_pause"), data)
    assert response.status_code == 400
    assert error in _visible(response)
    member.refresh_from_db()
    assert member.notices_paused_until is None


def test_a_pause_lasts_at_most_a_year(client_as, member):
    too_far = (timezone.localdate() + timedelta(days=400)).isoformat()
    response = client_as(member).post(reverse("notices_pause"),
                                      {"length": "date", "until": too_far})
    assert response.status_code == 400 and "A pause lasts at most a year." in _visible(response)


@pytest.mark.parametrize(("length", "days"), [("1d", 1), ("1w", 7), ("2w", 14)])
def test_pausing_for_a_day_a_week_or_two(client_as, member, length, days):
    response = client_as(member).post(reverse("notices_pause"), {"length": length},
                                      follow=True)
    assert "Notifications paused until" in _visible(response)
    member.refresh_from_db()
    left = member.notices_paused_until - timezone.now()
    assert timedelta(days=days) - timedelta(minutes=1) < left <= timedelta(days=days)


def test_pausing_until_a_date_ends_after_that_day(client_as, member):
    day = timezone.localdate() + timedelta(days=10)
    client_as(member).post(reverse("notices_pause"), {"length": "date", "until": day.isoformat()})
    member.refresh_from_db()
    assert timezone.localtime(member.notices_paused_until).date() == day
    page = _visible(client_as(member).get(reverse("notification_settings")))
    assert "Your notifications are paused until" in page


# Digest -----------------------------------------------------------------------------------

def _unread(member, other_member, space, title="Digest me"):
    thread = conversations.thread_create(author=member, space=space, kind="question",
                                         title=title, body="?")
    conversations.post_create(author=other_member, thread=thread, body="An answer.")
    _run()
    mail.outbox.clear()


@pytest.mark.parametrize(("digest", "after", "sent"), [
    (User.Digest.DAILY, timedelta(hours=23), False), (User.Digest.DAILY, timedelta(days=1), True),
    (User.Digest.WEEKLY, timedelta(days=6), False), (User.Digest.WEEKLY, timedelta(days=7), True),
    (User.Digest.NONE, timedelta(days=30), False)])
def test_the_digest_frequency_is_honoured(space, member, other_member, digest, after, sent):
    User.objects.filter(pk=member.pk).update(digest=digest,
                                             last_digest_at=timezone.now() - after)
    User.objects.exclude(pk=member.pk).update(digest=User.Digest.NONE)
    _unread(member, other_member, space)
    assert send_digests() == int(sent)
    assert len(mail.outbox) == int(sent)


def test_no_digest_while_paused_and_the_next_covers_the_pause(space, member, other_member):
    User.objects.exclude(pk=member.pk).update(digest=User.Digest.NONE)
    User.objects.filter(pk=member.pk).update(
        digest=User.Digest.DAILY, last_digest_at=timezone.now() - timedelta(days=3),
        notices_paused_until=timezone.now() + timedelta(days=1))
    _unread(member, other_member, space, title="While away")
    assert send_digests() == 0 and mail.outbox == []
    member.refresh_from_db()
    notice_levels.notices_resume(actor=member)
    assert send_digests() == 1
    assert "While away" in mail.outbox[0].body


def test_the_settings_page_shows_the_digest_choice(client_as, member):
    page = _visible(client_as(member).get(reverse("notification_settings")))
    assert re.search(r'<select name="digest"[^>]*>.*<option value="weekly" selected>', page,
                     re.S)


# Controls ---------------------------------------------------------------------------------

def test_the_thread_level_menu_without_javascript(client_as, space, member, other_member):
    thread = conversations.thread_create(author=other_member, space=space, kind="discussion",
                                         title="Mash temperature", body="67 or 69?")
    client = client_as(member)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert 'value="normal" class="level-option" aria-pressed="true"' in page
    response = client.post(reverse("thread_level", args=[thread.pk]), {"level": "muted"},
                           follow=True)
    assert "Notifications for “Mash temperature”: Muted." in _visible(response)
    assert ThreadFollow.objects.get(user=member, thread=thread).level == T.MUTED
    assert 'value="muted" class="level-option" aria-pressed="true"' in (
        response.content.decode())
    event = EngagementEvent.objects.get(kind=EngagementEvent.Kind.NOTICE_LEVEL_SET)
    assert (event.actor_id, event.thread_id, event.payload["level"]) == (
        member.pk, thread.pk, "muted")


def test_the_thread_level_menu_in_place_with_htmx(client_as, space, member, other_member):
    thread = conversations.thread_create(author=other_member, space=space, kind="discussion",
                                         title="Mash", body="67?")
    response = client_as(member).post(reverse("thread_level", args=[thread.pk]),
                                      {"level": "watching"}, HTTP_HX_REQUEST="true")
    page = _visible(response)
    assert response.status_code == 200 and "<html" not in page
    assert page.startswith('<details class="level-menu"')
    assert "Watching ✓" in page and 'role="status"' in page


def test_a_thread_level_from_its_space_is_named(client_as, space, member, other_member):
    thread = conversations.thread_create(author=other_member, space=space, kind="discussion",
                                         title="Mash", body="67?")
    notice_levels.space_level_set(actor=member, space=space, level=S.MUTED)
    page = _visible(client_as(member).get(thread.get_absolute_url()))
    assert "Muted ✓" in page and "(from the space)" in page


@pytest.mark.parametrize("level", ["loud", "", "watching_first"])
def test_an_unknown_thread_level_is_400(client_as, space, member, other_member, level):
    thread = conversations.thread_create(author=other_member, space=space, kind="discussion",
                                         title="Mash", body="67?")
    response = client_as(member).post(reverse("thread_level", args=[thread.pk]),
                                      {"level": level})
    assert response.status_code == 400
    assert not ThreadFollow.objects.filter(user=member, thread=thread).exists()


def test_a_thread_the_member_cannot_see_is_404(client_as, space, member, other_member, host):
    thread = conversations.thread_create(author=other_member, space=space, kind="discussion",
                                         title="Hidden", body="?")
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    client = client_as(member)
    assert client.post(reverse("thread_level", args=[thread.pk]),
                       {"level": "watching"}).status_code == 404
    assert client.post(reverse("thread_level", args=[999999]),
                       {"level": "watching"}).status_code == 404
    assert client.post(reverse("space_level", args=["nope"]),
                       {"level": "watching"}).status_code == 404
    assert not ThreadFollow.objects.filter(user=member, thread=thread).exists()


def test_the_space_level_menu(client_as, space, member):
    client = client_as(member)
    page = _visible(client.get(space.get_absolute_url()))
    assert "Normal ✓" in page and "Watching first post" in page
    response = client.post(reverse("space_level", args=[space.slug]), {"level": "watching"},
                           follow=True)
    assert "Notifications for “Brewing”: Watching." in _visible(response)
    assert SpaceFollow.objects.get(user=member, space=space).level == S.WATCHING
    response = client.post(reverse("space_level", args=[space.slug]), {"level": "normal"},
                           HTTP_HX_REQUEST="true")
    assert "<html" not in _visible(response) and "Normal ✓" in _visible(response)
    assert not SpaceFollow.objects.filter(user=member, space=space).exists()
    assert client.post(reverse("space_level", args=[space.slug]),
                       {"level": "loud"}).status_code == 400


def test_the_settings_page_lists_levels_with_change_and_remove(client_as, space, member,
                                                                other_member):
    threads = [conversations.thread_create(author=other_member, space=space, kind="discussion",
                                           title=f"Thread number {n}", body="?")
               for n in range(22)]
    for thread in threads:
        ThreadFollow.objects.create(user=member, thread=thread, level=T.MUTED)
    notice_levels.space_level_set(actor=member, space=space, level=S.WATCHING)
    client = client_as(member)
    page = _visible(client.get(reverse("notification_settings")))
    assert "Brewing" in page and page.count("<bdi>Thread number") == 20  # a page of them
    assert 'rel="next"' in page
    second = _visible(client.get(reverse("notification_settings") + "?page=2"))
    assert second.count("<bdi>Thread number") == 2
    here = reverse("notification_settings") + "?page=2"
    response = client.post(reverse("thread_level", args=[threads[0].pk]),
                           {"level": "watching", "next": here})
    assert response.status_code == 302 and response["Location"] == here
    assert ThreadFollow.objects.get(user=member, thread=threads[0]).level == T.WATCHING
    client.post(reverse("thread_level", args=[threads[1].pk]),
                {"level": "default", "next": here})
    assert not ThreadFollow.objects.filter(user=member, thread=threads[1]).exists()
    response = client.post(reverse("space_level", args=[space.slug]),
                           {"level": "default", "next": "https://evil.example/"})
    assert response["Location"] == space.get_absolute_url()  # never elsewhere
    page = _visible(client.get(reverse("notification_settings")))
    assert "You have set no level on a space" in page


def test_the_empty_lists_say_so(client_as, member):
    page = _visible(client_as(member).get(reverse("notification_settings")))
    assert "You have set no level on a space" in page
    assert "No thread has a level of its own yet" in page


def test_the_email_mutes_the_thread_in_one_click(client, space, member, other_member):
    thread = conversations.thread_create(author=member, space=space, kind="question",
                                         title="Mute me?", body="?")
    conversations.post_create(author=other_member, thread=thread, body="An answer.")
    _run()
    message = mail.outbox[0]
    assert "Mute this thread" in message.body
    link = next(url for url in links_in(message)
                if url.startswith("http") and "unsubscribe" in url
                and url != message.extra_headers["List-Unsubscribe"].strip("<>"))
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split(
        "/", 3)[3]
    page = _visible(client.get(path))
    assert "Stop notifications from this thread (mute it)?" in page
    client.post(path)
    assert ThreadFollow.objects.get(user=member, thread=thread).level == T.MUTED
    conversations.post_create(author=other_member, thread=thread, body="Another.")
    mail.outbox.clear()
    _run()
    assert mail.outbox == []


def test_a_forged_mute_link_is_refused(client):
    response = client.get(reverse("unsubscribe", args=["mute:1"]))
    assert response.status_code == 400


def test_the_thread_page_costs_the_same_with_levels(client_as, space, member, other_member):
    thread = conversations.thread_create(author=other_member, space=space, kind="discussion",
                                         title="Budget", body="?")
    client = client_as(member)
    url = thread.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    notice_levels.space_level_set(actor=member, space=space, level=S.MUTED)
    notice_levels.thread_level_set(actor=member, thread=thread, level=T.WATCHING)
    client.get(url)
    with CaptureQueriesContext(connection) as after:
        page = _visible(client.get(url))
    assert "Watching ✓" in page
    assert len(after.captured_queries) == len(before.captured_queries)


def test_who_muted_a_space_is_not_asked_to_help_there(db):
    from community.engine import routing

    from .test_routing_eval import _answer, _question

    space = factories.SpaceFactory(name="Kettles")
    asker, expert, quiet = (factories.UserFactory() for _ in range(3))
    for days in (3, 5, 8):
        for helper in (expert, quiet):
            _answer(_question(space, asker, timezone.now() - timedelta(days=days + 1)), helper,
                    timezone.now() - timedelta(days=days))
    question = _question(space, asker, timezone.now(), title="Does the lid rattle?")
    assert set(routing.candidates(question)) == {expert, quiet}
    notice_levels.space_level_set(actor=quiet, space=space, level=S.MUTED)
    assert routing.candidates(question) == [expert]
