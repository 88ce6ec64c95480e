"""Notification settings per kind, on the site and by email: the page saves and refuses
bad input, the engine obeys it (no notice, no email), each email's unsubscribe turns off
that kind's email, and the digest keeps working."""
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from community.engine import engagement, notice_settings
from community.models import EngagementEvent, Notification, Thread, User, Vote
from community.services import conversations, moderation
from community.tasks import send_digests, send_notification_emails

from .. import factories
from ..conftest import links_in

pytestmark = pytest.mark.django_db
CHANGED = EngagementEvent.Kind.NOTICE_SETTINGS_CHANGED


@pytest.fixture
def space():
    return factories.SpaceFactory(name="Brewing")


def _run():
    engagement.process_pending()
    send_notification_emails()


def _all_on(**changes):
    """What the form posts with every box ticked, then ``changes`` (False: left unticked)."""
    data = {"digest": "weekly", "email_notifications": "on", "accepts_routing": "on",
            "accepts_owner_asks": "on"}
    for row in notice_settings.rows():
        data[f"{row.key}_site"] = "on"
        data[f"{row.key}_email"] = "on"
        if row.push:  # push keeps its default: on for the conversation's kinds only
            data[f"{row.key}_push"] = "on"
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def _question(space, asker, title="Why is my stout thin?"):
    return conversations.thread_create(author=asker, space=space, kind=Thread.Kind.QUESTION,
                                       title=title, body="Help?")


def test_the_page_lists_every_kind_with_a_box_for_the_site_and_one_for_email(client, member):
    client.force_login(member)
    page = client.get(reverse("notification_settings")).content.decode()
    for label in ("Answers to your questions", "Replies to your posts and in threads you follow",
                  "Mentions of you", "Your answers accepted",
                  "Likes and helpful votes on your posts",
                  "Welcomes and introductions from the hosts",
                  "Questions you might help with", "News from a project you follow",
                  "News from a partner you work with"):
        assert label in page
        assert f"{label}: on the site" in page and f"{label}: by email" in page
    assert 'name="answers_email" id="id_answers_email" checked' in page
    assert 'name="votes_email" id="id_votes_email">' in page  # likes are not mailed by default
    assert "Activity digest" in page


def test_saving_stores_each_choice_and_records_one_event(client, member):
    client.force_login(member)
    response = client.post(reverse("notification_settings"),
                           _all_on(answers_site=False, votes_email="on", mentions_email=False,
                                   digest="daily"), follow=True)
    assert "Your notification settings are saved." in response.content.decode()
    member.refresh_from_db()
    assert member.notice_settings["answers"] == {"site": False, "email": True, "push": True}
    assert member.notice_settings["votes"] == {"site": True, "email": True, "push": False}
    assert member.notice_settings["mentions"] == {"site": True, "email": False, "push": True}
    assert member.digest == "daily"
    event = EngagementEvent.objects.get(kind=CHANGED)
    assert event.actor_id == member.pk
    # Every box was ticked: the rows whose email is off by default changed too.
    off_by_default = {row.key for row in notice_settings.rows() if not row.email}
    assert {"votes", "flags"} <= off_by_default
    assert set(event.payload["changed"]) == {"answers", "mentions", "digest"} | off_by_default
    page = response.content.decode()
    assert 'name="answers_site" id="id_answers_site">' in page  # shown as saved

    client.post(reverse("notification_settings"),
                _all_on(answers_site=False, votes_email="on", mentions_email=False,
                        digest="daily"))
    assert EngagementEvent.objects.filter(kind=CHANGED).count() == 1  # nothing changed


def test_a_bad_digest_is_refused_with_a_message_and_keeps_what_was_ticked(client, member):
    client.force_login(member)
    response = client.post(reverse("notification_settings"),
                           _all_on(digest="hourly", replies_email=False))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in page
    assert 'name="replies_email" id="id_replies_email">' in page  # still unticked
    member.refresh_from_db()
    assert member.notice_settings == {} and member.digest == "weekly"
    assert not EngagementEvent.objects.filter(kind=CHANGED).exists()


def test_host_decisions_always_show_on_the_site(client, member, host, space):
    client.force_login(member)
    client.post(reverse("notification_settings"),
                _all_on(moderation_site=False, moderation_email=False))
    member.refresh_from_db()
    assert member.notice_settings["moderation"] == {"site": True, "email": False,
                                                    "push": False}
    thread = conversations.thread_create(author=member, space=space, kind="discussion",
                                         title="Cheap kegs", body="Buy mine.")
    moderation.review_hide(actor=host, post=thread.opening_post, reason="Selling")
    send_notification_emails()
    notice = Notification.objects.get(recipient=member, kind="moderated")
    assert notice.on_site and notice.read_at is None
    assert not [m for m in mail.outbox if m.to == [member.email]]


def test_a_kind_off_everywhere_makes_no_notice_and_no_email(space, member, other_member):
    from community.services.users import notice_settings_save

    notice_settings_save(actor=member, rows={"answers": {"site": False, "email": False}})
    question = _question(space, member)
    conversations.post_create(author=other_member, thread=question, body="Mash hotter.")
    _run()
    assert not Notification.objects.filter(recipient=member).exists()
    assert not mail.outbox


def test_a_kind_off_by_email_is_on_the_site_and_not_mailed(client, space, member,
                                                           other_member):
    from community.services.users import notice_settings_save

    notice_settings_save(actor=member, rows={"answers": {"email": False}})
    question = _question(space, member)
    conversations.post_create(author=other_member, thread=question, body="Mash hotter.")
    _run()
    assert Notification.objects.filter(recipient=member, kind="answer", on_site=True).exists()
    assert not mail.outbox
    client.force_login(member)
    assert "answered your question" in client.get(reverse("notifications")).content.decode()


def test_a_kind_off_on_the_site_is_only_mailed(client, space, member, other_member):
    from community.services.users import notice_settings_save

    notice_settings_save(actor=member, rows={"answers": {"site": False}})
    question = _question(space, member)
    conversations.post_create(author=other_member, thread=question, body="Mash hotter.")
    _run()
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "answered your question" in mail.outbox[0].subject
    client.force_login(member)
    page = client.get(reverse("notifications")).content.decode()
    assert "Nothing yet" in page and "answered your question" not in page
    assert "Notifications, " not in client.get(reverse("notification_bell")).content.decode()


def test_likes_can_be_mailed_when_chosen(space, member, other_member):
    from community.services.users import notice_settings_save

    notice_settings_save(actor=member, rows={"votes": {"email": True}})
    thread = conversations.thread_create(author=member, space=space, kind="discussion",
                                         title="Like me", body="x")
    conversations.vote_cast(voter=other_member, post=thread.opening_post, kind=Vote.Kind.LIKE)
    _run()
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "liked your post" in mail.outbox[0].subject


def test_welcomes_from_hosts_obey_the_settings(space, member, host):
    from community.services.users import notice_settings_save

    notice_settings_save(actor=member, rows={"staff": {"site": False, "email": False}})
    moderation.tell([member.pk], Notification.Kind.WELCOME, actor=host, message="Hello!")
    assert not Notification.objects.filter(recipient=member).exists()


def test_each_emails_unsubscribe_turns_off_that_kind_and_records_an_event(
        client, space, member, other_member):
    followed = _question(space, other_member, title="Which yeast?")
    conversations.thread_follow_set(user=member, thread=followed, follow=True)
    conversations.post_create(author=factories.UserFactory(), thread=followed,
                              body="A French strain.")
    _run()
    message = mail.outbox[-1]
    assert message.to == [member.email] and "replied in" in message.subject
    assert "Stop emails about replies to your posts" in message.body
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in links_in(message)
    client.post("/" + link.split("://", 1)[1].split("/", 1)[1])
    member.refresh_from_db()
    assert member.notice_settings["replies"] == {"site": True, "email": False, "push": True}
    assert member.email_notifications
    assert EngagementEvent.objects.get(kind=CHANGED).payload["changed"] == ["replies"]
    client.force_login(member)
    page = client.get(reverse("notification_settings")).content.decode()
    assert 'name="replies_email" id="id_replies_email">' in page


def test_the_digest_still_comes_and_its_link_still_stops_it(client, space, member,
                                                            other_member):
    from community.services.users import notice_settings_save

    notice_settings_save(actor=member, fields={"digest": User.Digest.DAILY},
                         rows={"votes": {"email": False}})
    thread = conversations.thread_create(author=member, space=space, kind="discussion",
                                         title="Digest me", body="x")
    conversations.vote_cast(voter=other_member, post=thread.opening_post, kind=Vote.Kind.LIKE)
    engagement.process_pending()
    assert send_digests() == 1
    digest = mail.outbox[-1]
    assert "Digest me" in digest.body
    link = digest.extra_headers["List-Unsubscribe"].strip("<>")
    client.post("/" + link.split("://", 1)[1].split("/", 1)[1])
    member.refresh_from_db()
    assert member.digest == User.Digest.NONE
    User.objects.filter(pk=member.pk).update(last_digest_at=timezone.now() - timedelta(days=2))
    assert send_digests() == 0
