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
    assert "Invitation sent to" in response.content.decode()
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
