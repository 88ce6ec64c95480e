"""Sign-up, verification, login, password reset, email change, logout, rate limits.

Driven through allauth's real views and the real mail outbox.
"""
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from community.models import User

from .. import factories
from ..conftest import links_in

pytestmark = pytest.mark.django_db

STRONG = "a long and unusual passphrase 42"


def _signup(client, **overrides):
    data = {
        "email": "new.member@example.com", "username": "new_member",
        "display_name": "New Member", "password1": STRONG, "password2": STRONG,
        **overrides,
    }
    return client.post(reverse("account_signup"), data)


def _link(message, fragment):
    return next(url for url in links_in(message) if fragment in url)


def _path(url):
    return re.sub(r"^https?://[^/]+", "", url)


def test_signup_sends_verification_and_blocks_login_until_verified(client):
    response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.member@example.com")
    assert user.display_name == "New Member"
    assert user.invitations_sent.filter(kind="link").exists()  # their personal invite link
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.member@example.com"]

    client.logout()
    login = client.post(reverse("account_login"),
                        {"login": "new.member@example.com", "password": STRONG})
    assert login.status_code == 302
    assert login["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    confirm_url = _path(_link(mail.outbox[-1], "/confirm-email/"))
    page = client.get(confirm_url)
    assert page.status_code == 200 and "new.member@example.com" in page.content.decode()
    client.post(confirm_url)
    assert EmailAddress.objects.get(user=user).verified

    login = client.post(reverse("account_login"),
                        {"login": "new.member@example.com", "password": STRONG})
    assert login.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password1": "short1!", "password2": "short1!"}, "at least 10 characters"),
        ({"password1": "password1234", "password2": "password1234"}, "too common"),
        ({"password2": "something else entirely"}, "same password"),
        ({"email": "not-an-email"}, "valid email"),
    ],
)
def test_bad_signup_input_shows_why_and_keeps_the_rest(client, overrides, message):
    response = _signup(client, **overrides)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body.lower() or message in body
    assert 'value="new_member"' in body and 'value="New Member"' in body
    assert not User.objects.filter(username="new_member").exists()


def test_duplicate_email_does_not_create_a_second_account_or_reveal_it(client, member):
    response = _signup(client, email=member.email)
    assert User.objects.filter(email__iexact=member.email).count() == 1
    assert not User.objects.filter(username="new_member").exists()
    # Enumeration prevention: the page looks like a normal sign-up; the owner gets a mail.
    assert response.status_code == 302
    assert mail.outbox and mail.outbox[-1].to == [member.email]


def test_a_64_character_password_is_accepted(client):
    long_password = "correct horse battery staple " * 2 + "on a brewing day"
    assert len(long_password) >= 64
    assert _signup(client, password1=long_password, password2=long_password).status_code == 302


def test_forged_verification_key_explains_itself(client):
    response = client.get(reverse("account_confirm_email", args=["forged-key"]))
    assert response.status_code == 200
    assert "expired or is invalid" in response.content.decode()


def test_password_reset_by_mail(client, member):
    client.post(reverse("account_reset_password"), {"email": member.email})
    reset_url = _path(_link(mail.outbox[-1], "/password/reset/key/"))
    form_page = client.get(reset_url, follow=True)
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset_url
    new = "another fine passphrase 77"
    done = client.post(form_url, {"password1": new, "password2": new})
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new)
    client.post(reverse("account_login"), {"login": member.email, "password": new})
    assert client.session["_auth_user_id"] == str(member.pk)


def test_password_reset_for_unknown_email_looks_the_same(client, member):
    known = client.post(reverse("account_reset_password"), {"email": member.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_email_change_verifies_the_new_address(client, member):
    client.post(reverse("account_login"),
                {"login": member.email, "password": factories.PASSWORD})
    add = {"action_add": "", "email": "renamed@example.com"}
    response = client.post(reverse("account_email"), add)
    if response["Location"].startswith(reverse("account_reauthenticate")):
        # Sensitive change: allauth asks for the password again, then carries on with it.
        response = client.post(response["Location"], {"password": factories.PASSWORD})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["renamed@example.com"]
    confirm_url = _path(_link(mail.outbox[-1], "/confirm-email/"))
    client.post(confirm_url)
    member.refresh_from_db()
    assert member.email == "renamed@example.com"
    assert EmailAddress.objects.get(user=member, email="renamed@example.com").verified


def test_logout_ends_the_session(client, member):
    client.force_login(member)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_are_rate_limited(client, member):
    pages = [
        client.post(reverse("account_login"),
                    {"login": member.email, "password": "wrong password 123"}).content.decode()
        for _ in range(6)
    ]
    assert "Too many failed login attempts" not in pages[0]
    assert "Too many failed login attempts" in pages[-1]
    # Even the right password waits now: guessing cannot continue.
    client.post(reverse("account_login"), {"login": member.email, "password": factories.PASSWORD})
    assert "_auth_user_id" not in client.session
