"""Abuse limits and account safety, against the real Redis every web process shares.

Failed logins per address and per account, sign-ups per address per day, password resets
per email; sign-in, sign-up and reset answer alike for known and unknown emails; changing
the email or password asks for the password again; a password change signs the member out
everywhere else and says so.
"""
import pytest
import redis
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from community.models import User

from .. import factories

pytestmark = pytest.mark.django_db

LIMITED = "Too many failed login attempts"
STRONG = "a long and unusual passphrase 42"


def _client(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip)


def _login(client, login, password="wrong password 123"):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def _shared_keys() -> list[str]:
    """Keys of this test's cache namespace, read straight from the Redis server: what any
    other web process would read."""
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    server = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    return [k.decode() for k in server.scan_iter(f"{prefix}:*", count=1000)]


def test_failed_logins_are_limited_per_address_across_accounts():
    attacker = _client("203.0.113.7")
    pages = [_login(attacker, f"guess{n}@example.com").content.decode() for n in range(11)]
    assert LIMITED not in pages[0] and LIMITED not in pages[9]
    assert LIMITED in pages[10]
    # Somebody else, elsewhere, is not punished for it.
    assert LIMITED not in _login(_client("198.51.100.2"), "me@example.com").content.decode()
    assert any("rl" in key for key in _shared_keys())


def test_failed_logins_are_limited_per_account_across_addresses(member):
    pages = [_login(_client(f"203.0.113.{n}"), member.email).content.decode()
             for n in range(6)]
    assert LIMITED not in pages[0] and LIMITED in pages[5]
    right = _client("198.51.100.9")
    _login(right, member.email, factories.PASSWORD)
    assert "_auth_user_id" not in right.session  # the account waits, whoever asks


def test_sign_in_answers_alike_for_known_and_unknown_emails(member):
    known = _login(_client("192.0.2.1"), member.email).content.decode()
    unknown = _login(_client("192.0.2.2"), "nobody@example.com").content.decode()
    message = "The email address and/or password you specified are not correct."
    assert message in known and message in unknown


def _signup(client, n):
    return client.post(reverse("account_signup"), {
        "email": f"new{n}@example.com", "username": f"new_{n}", "display_name": f"New {n}",
        "password1": STRONG, "password2": STRONG})


def test_sign_ups_are_limited_per_address_per_day():
    farm = _client("203.0.113.50")
    answers = [_signup(farm, n).status_code for n in range(21)]
    assert answers[:20] == [302] * 20
    assert answers[20] == 429
    assert User.objects.filter(username__startswith="new_").count() == 20
    # Another address still signs up.
    assert _signup(_client("198.51.100.50"), 99).status_code == 302


def test_sign_up_with_a_taken_email_looks_like_any_sign_up(member):
    taken = _client("192.0.2.10").post(reverse("account_signup"), {
        "email": member.email, "username": "someone_else", "display_name": "X",
        "password1": STRONG, "password2": STRONG})
    fresh = _signup(_client("192.0.2.11"), 1)
    assert taken.status_code == fresh.status_code == 302
    assert taken.url == fresh.url
    assert not User.objects.filter(username="someone_else").exists()


def test_password_resets_are_limited_per_email(member):
    answers = [_client(f"203.0.113.{100 + n}").post(
        reverse("account_reset_password"), {"email": member.email}).status_code
        for n in range(6)]
    assert answers[:5] == [302] * 5 and answers[5] == 429
    assert len(mail.outbox) == 5


def test_changing_the_email_asks_for_the_password_again(client, member):
    client.force_login(member)  # signed in long ago: no recent password entry
    response = client.post(reverse("account_email"),
                           {"action_add": "", "email": "elsewhere@example.com"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not member.emailaddress_set.filter(email="elsewhere@example.com").exists()


def test_changing_the_password_needs_the_current_one(client, member):
    client.force_login(member)
    response = client.post(reverse("account_change_password"), {
        "oldpassword": "not my password", "password1": STRONG, "password2": STRONG})
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.check_password(factories.PASSWORD)


def test_a_password_change_signs_out_every_other_session_and_says_so(member):
    laptop, phone = _client("192.0.2.20"), _client("192.0.2.21")
    for device in (laptop, phone):
        _login(device, member.email, factories.PASSWORD)
        assert device.get(reverse("notifications")).status_code == 200

    form = laptop.get(reverse("account_change_password")).content.decode()
    assert "signs you out in every other browser" in form
    done = laptop.post(reverse("account_change_password"), {
        "oldpassword": factories.PASSWORD, "password1": STRONG, "password2": STRONG},
        follow=True)
    assert "Every other browser and device signed in as you has been signed out" in (
        done.content.decode())
    assert laptop.get(reverse("notifications")).status_code == 200
    assert phone.get(reverse("notifications")).status_code == 302  # back to sign-in
