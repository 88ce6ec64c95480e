"""Who hears about what: in-app notices, emails with unsubscribe, the digest, the bell."""
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from community.engine import engagement
from community.models import Notification, SpaceFollow, Thread, ThreadFollow, User, Vote
from community.services import conversations
from community.tasks import send_digests, send_notification_emails

from .. import factories
from ..conftest import links_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def space():
    return factories.SpaceFactory(name="Brewing")


def _kinds(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def _run():
    engagement.process_pending()
    send_notification_emails()


def test_answer_reply_follow_mention_accept_and_votes_notify_the_right_people(space):
    asker, helper, follower, mentioned = (factories.UserFactory() for _ in range(4))
    question = conversations.thread_create(author=asker, space=space,
                                           kind=Thread.Kind.QUESTION,
                                           title="Cloudy beer?", body="Why so hazy?")
    ThreadFollow.objects.create(user=follower, thread=question)
    answer = conversations.post_create(
        author=helper, thread=question, body=f"Chill haze. cc @{mentioned.username}"
    )
    conversations.post_create(author=asker, thread=question, body="Thanks!", parent=answer)
    conversations.answer_accept(actor=asker, answer=answer)
    conversations.vote_cast(voter=asker, post=answer, kind=Vote.Kind.HELPFUL)
    conversations.vote_cast(voter=follower, post=answer, kind=Vote.Kind.LIKE)
    _run()

    assert _kinds(asker) == ["answer"]  # their own reply and accept tell them nothing
    assert _kinds(mentioned) == ["mention"]  # mention wins over the follow it does not have
    assert _kinds(follower) == ["reply", "reply"]  # the answer and the reply
    assert _kinds(helper) == ["accepted", "helpful", "like", "reply"]


def test_no_one_is_told_about_their_own_actions(space, member):
    thread = conversations.thread_create(author=member, space=space,
                                         kind=Thread.Kind.DISCUSSION, title="Me", body="Me")
    conversations.post_create(author=member, thread=thread, body=f"@{member.username} hi")
    _run()
    assert not Notification.objects.exists()


def test_space_followers_hear_of_new_threads(space, member, other_member):
    SpaceFollow.objects.create(user=other_member, space=space)
    conversations.thread_create(author=member, space=space, kind=Thread.Kind.DISCUSSION,
                                title="New kit day", body="Look!")
    _run()
    assert _kinds(other_member) == ["new_thread"]


def test_redelivery_creates_no_second_notice_or_mail(space, member, other_member):
    from community.models import EngagementEvent

    thread = conversations.thread_create(author=member, space=space,
                                         kind=Thread.Kind.QUESTION, title="Twice?", body="x")
    conversations.post_create(author=other_member, thread=thread, body="Once.")
    _run()
    EngagementEvent.objects.update(processed_at=None)
    _run()
    assert _kinds(member) == ["answer"]
    assert len(mail.outbox) == 1


def test_email_has_unsubscribe_link_and_headers_that_work(client, space, member,
                                                          other_member):
    thread = conversations.thread_create(author=member, space=space,
                                         kind=Thread.Kind.QUESTION,
                                         title="Ale & lager: O'Brien's question", body="x")
    conversations.post_create(author=other_member, thread=thread, body="An answer")
    _run()
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert "O'Brien's" in message.subject and "&amp;" not in message.subject
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in links_in(message)
    path = unsubscribe.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
    member.refresh_from_db()
    assert member.email_notifications  # GET only asks
    response = client.post("/" + path)  # one-click, as a mail client sends it: no CSRF token
    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    assert "emails about answers to your questions" in response.content.decode()
    member.refresh_from_db()
    assert member.email_notifications  # only that kind's email stops
    assert member.notice_settings["answers"] == {"site": True, "email": False, "push": True}

    conversations.post_create(author=other_member, thread=thread, body="Another answer")
    _run()
    assert len(mail.outbox) == 1  # answers in-app only from now on
    assert _kinds(member) == ["answer", "answer"]
    conversations.post_create(author=other_member, thread=thread, body="A reply to you",
                              parent=thread.opening_post)
    _run()
    assert len(mail.outbox) == 2 and "replied in" in mail.outbox[-1].subject  # other kinds do


def test_an_unsubscribe_link_from_before_the_kinds_still_stops_every_notice_email(
        client, space, member, other_member):
    from community.engine.notifications import Topic, unsubscribe_token

    token = unsubscribe_token(member.pk, Topic.NOTIFICATIONS)
    response = client.post(reverse("unsubscribe", args=[token]))
    assert "emails about replies, answers and mentions" in response.content.decode()
    member.refresh_from_db()
    assert not member.email_notifications
    thread = conversations.thread_create(author=member, space=space,
                                         kind=Thread.Kind.QUESTION, title="Quiet?", body="x")
    conversations.post_create(author=other_member, thread=thread, body="An answer")
    _run()
    assert not mail.outbox and _kinds(member) == ["answer"]


def test_line_breaks_in_names_and_titles_do_not_stop_the_mail(space, member):
    """A form field can carry a line break; a mail header cannot. The mail still goes."""
    answerer = factories.UserFactory(display_name="Bcc: victim@example.com\nMallory")
    thread = conversations.thread_create(author=member, space=space, kind=Thread.Kind.QUESTION,
                                         title="Two\r\nlines", body="x")
    conversations.post_create(author=answerer, thread=thread, body="An answer")
    _run()
    assert mail.outbox[0].subject.count("\n") == 0
    assert "Two lines" in mail.outbox[0].subject
    assert mail.outbox[0].to == [member.email]


def test_forged_unsubscribe_link_is_refused(client):
    response = client.post(reverse("unsubscribe", args=["forged"]))
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_likes_are_not_emailed(space, member, other_member):
    thread = conversations.thread_create(author=member, space=space,
                                         kind=Thread.Kind.DISCUSSION, title="Like me", body="x")
    conversations.vote_cast(voter=other_member, post=thread.opening_post, kind=Vote.Kind.LIKE)
    _run()
    assert _kinds(member) == ["like"] and not mail.outbox


def test_digest_is_sent_once_per_period_and_skipped_when_empty(space, member, other_member):
    member.digest = User.Digest.DAILY
    member.save()
    other_member.digest = User.Digest.DAILY
    other_member.save()
    thread = conversations.thread_create(author=member, space=space,
                                         kind=Thread.Kind.DISCUSSION, title="Digest me",
                                         body="x")
    conversations.vote_cast(voter=other_member, post=thread.opening_post, kind=Vote.Kind.LIKE)
    engagement.process_pending()

    assert send_digests() == 1  # other_member has nothing unread: no mail
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Digest me" in mail.outbox[0].body and "List-Unsubscribe" in mail.outbox[0].extra_headers
    assert send_digests() == 0  # not due again today
    User.objects.filter(pk=member.pk).update(last_digest_at=timezone.now() - timedelta(days=2))
    assert send_digests() == 0  # due, but everything was in the last digest
    assert len(mail.outbox) == 1


def test_bell_inbox_open_and_mark_all_read(client, space, member, other_member):
    thread = conversations.thread_create(author=member, space=space,
                                         kind=Thread.Kind.QUESTION, title="Bell?", body="x")
    answer = conversations.post_create(author=other_member, thread=thread, body="Ding")
    conversations.vote_cast(voter=other_member, post=thread.opening_post, kind=Vote.Kind.LIKE)
    engagement.process_pending()
    client.force_login(member)

    bell = client.get(reverse("notification_bell"), headers={"HX-Request": "true"})
    assert "2 unread" in bell.content.decode() and "<html" not in bell.content.decode()
    assert "2 unread" in client.get(reverse("home")).content.decode()
    inbox = client.get(reverse("notifications")).content.decode()
    assert f"\u2068{other_member.name}\u2069 answered your question “\u2068Bell?\u2069”" in inbox

    notice = Notification.objects.get(recipient=member, kind="answer")
    opened = client.get(reverse("notification_open", args=[notice.pk]))
    assert opened.status_code == 302 and opened["Location"] == answer.get_absolute_url()
    notice.refresh_from_db()
    assert notice.read_at is not None
    client.post(reverse("notifications_read_all"))
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()


def test_someone_elses_notice_is_not_found(client, space, member, other_member):
    notice = Notification.objects.create(recipient=member, kind="like")
    client.force_login(other_member)
    assert client.get(reverse("notification_open", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_inbox_empty_state_and_settings(client, member):
    client.force_login(member)
    assert "Nothing yet" in client.get(reverse("notifications")).content.decode()
    response = client.post(reverse("notification_settings"),
                           {"digest": "daily", "accepts_routing": "on"}, follow=True)
    assert "Your notification settings are saved." in response.content.decode()
    member.refresh_from_db()
    assert (member.email_notifications, member.digest, member.accepts_routing) == (
        False, "daily", True)


def test_an_answer_that_mentions_the_asker_says_it_answered_their_question(space):
    asker, helper = factories.UserFactory(), factories.UserFactory(display_name="Ben")
    question = conversations.thread_create(author=asker, space=space, kind="question",
                                           title="Why is my stout thin?", body="Help?")
    conversations.post_create(author=helper, thread=question,
                              body=f"@{asker.username} mash hotter, around 68 °C.")
    _run()
    notice = Notification.objects.get(recipient=asker)
    assert notice.kind == "answer"
    assert mail.outbox[-1].to == [asker.email]
    assert "answered your question" in mail.outbox[-1].subject + mail.outbox[-1].body


def test_opening_the_thread_clears_its_notices_and_the_bell_counts_down(space, client):
    asker, helper = factories.UserFactory(), factories.UserFactory()
    question = conversations.thread_create(author=asker, space=space, kind="question",
                                           title="Why is my stout thin?", body="Help?")
    other = conversations.thread_create(author=asker, space=space, kind="question",
                                        title="Which yeast for a saison?", body="Ideas?")
    conversations.post_create(author=helper, thread=question, body="Mash hotter.")
    conversations.post_create(author=helper, thread=other, body="A French saison strain.")
    _run()
    assert Notification.objects.filter(recipient=asker, read_at__isnull=True).count() == 2
    client.force_login(asker)
    page = client.get(question.get_absolute_url())
    assert page.status_code == 200
    assert "Notifications, 1 unread" in page.content.decode()  # this page's own bell
    unread = Notification.objects.filter(recipient=asker, read_at__isnull=True)
    assert list(unread.values_list("thread_id", flat=True)) == [other.pk]
    assert "Notifications, 1 unread" in client.get(reverse("notification_bell")).content.decode()


def test_a_right_to_left_title_cannot_reorder_the_notice_around_it(space, client):
    asker, helper = factories.UserFactory(), factories.UserFactory(display_name="Ben")
    question = conversations.thread_create(author=asker, space=space, kind="question",
                                           title="ما هي أفضل خميرة؟", body="?")
    conversations.post_create(author=helper, thread=question, body="A clean ale yeast.")
    _run()
    client.force_login(asker)
    inbox = client.get(reverse("notifications")).content.decode()
    assert "\u2068Ben\u2069 answered your question “\u2068ما هي أفضل خميرة؟\u2069”" in inbox
    assert "\u2068ما هي أفضل خميرة؟\u2069" in mail.outbox[-1].subject
    home = client.get("/").content.decode()
    assert "<bdi>ما هي أفضل خميرة؟</bdi>" in home
