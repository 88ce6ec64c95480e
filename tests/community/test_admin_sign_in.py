"""The admin is reached through the site's own sign-in, its limits, and a recent one."""
import pytest
from django.test import Client
from django.urls import reverse

from community.models import CommunitySettings

from .. import factories
from ..conftest import sign_in

pytestmark = pytest.mark.django_db

LIMITED = "Too many failed login attempts"


def _admin_login(client, email, password):
    return client.post(reverse("admin:login") + "?next=/admin/", {
        "username": email, "password": password, "this_is_the_login_form": "1",
        "next": "/admin/"})


def test_the_admin_login_form_checks_no_passwords():
    admin = factories.AdminFactory()
    client = Client(REMOTE_ADDR="192.0.2.50")
    for _ in range(30):
        answer = _admin_login(client, admin.email, "wrong password 123")
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("account_login"))
    answer = _admin_login(client, admin.email, factories.PASSWORD)
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_admin_sends_people_to_the_sites_sign_in_and_its_limits():
    admin = factories.AdminFactory()
    client = Client(REMOTE_ADDR="192.0.2.51")
    asked = client.get(reverse("admin:index"), follow=True)
    assert asked.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert 'name="login"' in asked.content.decode()
    login = asked.redirect_chain[-1][0]
    for _ in range(30):
        client.post(login, {"login": admin.email, "password": "wrong password 123"})
    refused = client.post(login, {"login": admin.email, "password": factories.PASSWORD})
    # Refused by the site's limits: too many failures for the account, too many tries.
    assert refused.status_code == 429 or LIMITED in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_signing_in_through_the_site_comes_back_to_the_admin():
    admin = factories.AdminFactory()
    client = Client()
    login = client.get(reverse("admin:index"), follow=True).redirect_chain[-1][0]
    signed_in = client.post(login, {"login": admin.email, "password": factories.PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def _age_sign_in(client, minutes):
    """The session's sign-in as if it had happened ``minutes`` ago (the clock moved on)."""
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] -= minutes * 60
    session.save()


def test_an_old_sign_in_confirms_the_password_before_the_admin_changes_anything(settings):
    settings.ADMIN_RECENT_AUTHENTICATION_MINUTES = 30
    admin = factories.AdminFactory()
    client = sign_in(Client(), admin)
    change = reverse("admin:community_communitysettings_change",
                     args=[CommunitySettings.get().pk])
    assert client.get(change).status_code == 200
    _age_sign_in(client, 31)

    page = client.get(change)
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("account_reauthenticate"))
    before = CommunitySettings.get().new_member_max_links
    sent = client.post(change, {"new_member_max_links": before + 5})
    assert sent.status_code == 302 and sent["Location"].startswith(
        reverse("account_reauthenticate"))
    assert CommunitySettings.get().new_member_max_links == before
    assert client.get(reverse("admin:index")).status_code == 302

    confirmed = client.post(page["Location"], {"password": factories.PASSWORD})
    assert confirmed.status_code == 302 and confirmed["Location"] == change
    assert client.get(change).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_member_who_is_not_an_admin_is_told_so_not_sent_round_in_circles(client, member):
    client.force_login(member)
    answer = client.get(reverse("admin:index"), follow=True)
    assert answer.status_code == 403
    assert "The admin is only for the site" in answer.content.decode()
    assert len(answer.redirect_chain) <= 2
