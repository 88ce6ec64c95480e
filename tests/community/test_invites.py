"""Inviting friends by email or personal link, and what happens to the token afterwards."""
import re
import time

import pytest
from django.core import mail, signing
from django.urls import reverse

from community.models import Invitation, User
from community.models.invitations import INVITE_SALT

from .. import factories
from ..conftest import links_in

pytestmark = pytest.mark.django_db

STRONG = "a long and unusual passphrase 42"


def _path(url):
    return re.sub(r"^https?://[^/]+", "", url)


def test_anonymous_cannot_invite(client):
    assert client.get(reverse("invite")).status_code == 302


def test_member_invites_by_email_once_even_if_posted_twice(client, member,
                                                         django_capture_on_commit_callbacks):
    client.force_login(member)
    data = {"emails": "pal@example.com\nbuddy@example.com", "message": "Come brew with us"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("invite"), data, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("invite"), data, follow=True)
    assert "Invitations sent to 2 addresses." in response.content.decode()
    assert "Already invited recently: buddy@example.com, pal@example.com" in again.content.decode()
    assert Invitation.objects.filter(inviter=member, kind=Invitation.Kind.EMAIL).count() == 2
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["buddy@example.com", "pal@example.com"]
    assert "Come brew with us" in mail.outbox[0].body
    page = client.get(reverse("invite")).content.decode()
    assert "pal@example.com" in page and "Waiting" in page


def test_invalid_addresses_are_named_and_the_text_is_kept(client, member):
    client.force_login(member)
    response = client.post(reverse("invite"), {"emails": "pal@example.com, not-an-address"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "not valid email addresses: not-an-address" in body
    assert "pal@example.com, not-an-address" in body
    assert not Invitation.objects.filter(kind=Invitation.Kind.EMAIL).exists()


def test_personal_link_is_made_by_a_post_and_then_shown(client, member):
    client.force_login(member)
    body = client.get(reverse("invite")).content.decode()
    assert "Create my personal link" in body  # an account older than links: a GET makes none
    assert not Invitation.objects.filter(inviter=member).exists()
    client.post(reverse("invite"), {"personal_link": "1"})
    client.post(reverse("invite"), {"personal_link": "1"})
    link = Invitation.objects.get(inviter=member, kind=Invitation.Kind.LINK)
    assert link.get_absolute_url() in client.get(reverse("invite")).content.decode()


def test_signing_up_through_an_invite_records_who_invited_whom(client, member,
                                                               django_capture_on_commit_callbacks):
    link = Invitation.objects.create(inviter=member, kind=Invitation.Kind.LINK)
    landing = client.get(reverse("invite_accept", args=[link.token]))
    assert landing.status_code == 200 and member.name in landing.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), {
            "email": "friend@example.com", "username": "friend", "password1": STRONG,
            "password2": STRONG,
        })
    confirm = next(u for u in links_in(mail.outbox[-1]) if "/confirm-email/" in u)
    client.post(_path(confirm))

    friend = User.objects.get(username="friend")
    assert friend.invited_by == member
    client.force_login(member)
    assert "friend" in client.get(reverse("invite")).content.decode()
    assert client.get(reverse("profile", args=[member.username])).context["invitees_joined"] == 1


def test_forged_token_is_explained(client):
    response = client.get(reverse("invite_accept", args=["not-a-real-token"]))
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_expired_token_is_explained(client, member, settings):
    invitation = factories.InvitationFactory(inviter=member)

    class FortnightAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - (settings.INVITE_MAX_AGE_DAYS + 1) * 86400)

    token = FortnightAgo(salt=INVITE_SALT).sign_object({"i": invitation.pk}, compress=True)
    response = client.get(reverse("invite_accept", args=[token]))
    assert response.status_code == 400
    assert "expired" in response.content.decode()


def test_used_email_invitation_is_explained(client, member):
    invitation = factories.InvitationFactory(inviter=member)
    invitation.accepted_at = invitation.created_at
    invitation.save()
    response = client.get(reverse("invite_accept", args=[invitation.token]))
    assert response.status_code == 400
    assert "already been used" in response.content.decode()


# Limits: an invitation is a mail sent in the member's name -------------------------------

def _invite(client, emails, message="", callbacks=None):
    data = {"emails": "\n".join(emails), "message": message}
    with callbacks(execute=True):
        return client.post(reverse("invite"), data, follow=True)


def _addresses(n, start=0):
    return [f"friend{i}@example.org" for i in range(start, start + n)]


def test_a_member_sends_at_most_the_days_invitations(client, member,
                                                     django_capture_on_commit_callbacks):
    client.force_login(member)
    for batch in range(2):
        page = _invite(client, _addresses(10, batch * 10),
                       callbacks=django_capture_on_commit_callbacks)
        assert "Invitations sent to 10 addresses." in page.content.decode()
    assert "You can send 0 more invitations today." in page.content.decode()
    refused = _invite(client, _addresses(1, 20), "One more",
                      callbacks=django_capture_on_commit_callbacks)
    body = refused.content.decode()
    assert "You can send 0 more invitations today and these are 1." in body
    assert "One more" in body and "friend20@example.org" in body  # the text is kept
    assert len(mail.outbox) == 20


def test_more_than_ten_addresses_at_a_time_are_refused(client, member):
    client.force_login(member)
    page = client.post(reverse("invite"), {"emails": "\n".join(_addresses(11))})
    assert "Invite at most 10 people at a time." in page.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_a_new_member_sends_a_few_invitations_without_links(client,
                                                            django_capture_on_commit_callbacks):
    newcomer = factories.NewMemberFactory()
    client.force_login(newcomer)
    for note in ("Log in at https://evil.example/login", "see www.evil.example",
                 "go to evil-bank.com/verify now", "hxxp://evil"):
        page = _invite(client, _addresses(1), note, callbacks=django_capture_on_commit_callbacks)
        assert "New members cannot put links" in page.content.decode(), note
    page = _invite(client, _addresses(1), "Cheers, Ada (e.g. the one who brews stout, etc.)",
                   callbacks=django_capture_on_commit_callbacks)
    assert "Invitation sent to 1 address." in page.content.decode()
    assert len(mail.outbox) == 1  # only the note without a web address went out
    page = _invite(client, _addresses(3, 5), "Come and brew",
                   callbacks=django_capture_on_commit_callbacks)
    assert "You can send 2 more invitations today and these are 3." in page.content.decode()
    page = _invite(client, _addresses(2, 5), "Come and brew",
                   callbacks=django_capture_on_commit_callbacks)
    assert "Invitations sent to 2 addresses." in page.content.decode()
    assert len(mail.outbox) == 3


def test_the_limits_are_the_hosts_to_set(client, member, django_capture_on_commit_callbacks):
    from community.models import CommunitySettings

    limits = CommunitySettings.get()
    limits.invitations_per_day = 2
    limits.save()
    client.force_login(member)
    page = _invite(client, _addresses(3), callbacks=django_capture_on_commit_callbacks)
    assert "You can send 2 more invitations today and these are 3." in page.content.decode()
    assert not mail.outbox


def test_a_note_with_a_blocked_word_is_not_sent(client, member,
                                                django_capture_on_commit_callbacks):
    from community.models import CommunitySettings

    limits = CommunitySettings.get()
    limits.blocked_words = "verify your account"
    limits.save()
    client.force_login(member)
    page = _invite(client, _addresses(2), "Please VERIFY your account here",
                   callbacks=django_capture_on_commit_callbacks)
    body = page.content.decode()
    assert "Your note contains a word this community does not allow" in body
    assert "Please VERIFY your account here" in body
    assert not mail.outbox and not Invitation.objects.exists()


def test_a_suspended_member_cannot_invite(client, member, host):
    from datetime import timedelta

    from django.utils import timezone

    from community.services import moderation

    moderation.suspend(actor=host, user=member, reason="Spamming invitations",
                       ends_at=timezone.now() + timedelta(days=3))
    client.force_login(member)
    for response in (client.get(reverse("invite")),
                     client.post(reverse("invite"), {"emails": "pal@example.com"}),
                     client.post(reverse("invite"), {"personal_link": "1"})):
        assert response.status_code == 403
        assert "Spamming invitations" in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_the_answer_does_not_say_who_has_an_account(client, member,
                                                    django_capture_on_commit_callbacks):
    helga = factories.UserFactory(email="Helga@Example.com")
    client.force_login(member)
    known = _invite(client, ["helga@example.com", "stranger@example.org"],
                    callbacks=django_capture_on_commit_callbacks).content.decode()
    unknown = _invite(client, ["nobody@example.org", "stranger2@example.org"],
                      callbacks=django_capture_on_commit_callbacks).content.decode()
    assert "Invitations sent to 2 addresses." in known
    assert "Invitations sent to 2 addresses." in unknown
    assert "Already members" not in known and "member" not in known.split(
        "Invitations sent to")[1].split("</")[0]
    # Listed alike, and the account's owner is sent nothing.
    page = client.get(reverse("invite")).content.decode()
    assert "helga@example.com" in page and "nobody@example.org" in page
    assert sorted(m.to[0] for m in mail.outbox) == [
        "nobody@example.org", "stranger2@example.org", "stranger@example.org"]
    assert helga.email not in [m.to[0] for m in mail.outbox]
