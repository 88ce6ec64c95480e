"""The security audit trail: sign-ins and failures, refusals, rate-limit hits."""
import pytest
from django.urls import reverse

from community.models import AuditRecord

from .. import factories

pytestmark = pytest.mark.django_db


def _kinds():
    return list(AuditRecord.objects.order_by("id").values_list("kind", flat=True))


@pytest.mark.parametrize(("proxies", "recorded"), [(0, "127.0.0.1"), (1, "203.0.113.9")])
def test_the_address_recorded_is_the_one_the_nearest_trusted_proxy_saw(
        client, member, settings, proxies, recorded):
    """``TRUSTED_PROXIES`` (allauth's count): with none, a client's own X-Forwarded-For is
    not believed; behind one, the address that proxy appended is the client's."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    client.post(reverse("account_login"), {"login": member.email, "password": "wrong 1234"},
                headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.9"})
    assert AuditRecord.objects.get(kind="login_failed").ip == recorded


def test_a_forwarded_address_that_is_not_one_records_the_connections(client, member,
                                                                     settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    response = client.post(reverse("account_login"),
                           {"login": member.email, "password": "wrong 1234"},
                           headers={"X-Forwarded-For": "<script>, not-an-address"})
    # allauth cannot tell whose limit it is and refuses (403), never a 500; whatever the
    # trail keeps of it records the connection's address.
    assert response.status_code == 403
    assert set(AuditRecord.objects.values_list("ip", flat=True)) <= {"127.0.0.1"}


def test_sign_in_success_failure_and_the_limit_are_recorded(client, member):
    client.post(reverse("account_login"), {"login": member.email, "password": "wrong 1234"})
    failed = AuditRecord.objects.get(kind="login_failed")
    assert failed.identifier == member.email and failed.ip == "127.0.0.1"
    assert "wrong" not in failed.identifier + failed.detail  # never the password
    client.post(reverse("account_login"), {"login": member.email,
                                           "password": factories.PASSWORD})
    login = AuditRecord.objects.get(kind="login")
    assert login.user == member
    client.post(reverse("account_logout"))
    for _ in range(6):
        client.post(reverse("account_login"), {"login": member.email, "password": "nope 999"})
    assert "rate_limited" in _kinds()
    hit = AuditRecord.objects.filter(kind="rate_limited").first()
    assert hit.identifier == member.email and hit.detail == "failed sign-ins"
    assert _kinds()[:3] == ["login_failed", "login", "logout"]


def test_a_refusal_is_recorded_with_who_and_what(client_as, member):
    client_as(member).get(reverse("host_dashboard"))
    denied = AuditRecord.objects.get(kind="denied")
    assert denied.user == member and denied.path == reverse("host_dashboard")
    assert denied.detail  # the sentence the member was shown


def test_the_admin_shows_the_trail_read_only(client_as, admin_user, member):
    client_as(member).get(reverse("host_dashboard"))
    client = client_as(admin_user)
    listing = client.get(reverse("admin:community_auditrecord_changelist"))
    assert listing.status_code == 200 and "Permission denied" in listing.content.decode()
    record = AuditRecord.objects.get(kind="denied")
    assert client.post(reverse("admin:community_auditrecord_delete", args=[record.pk]),
                       {"post": "yes"}).status_code == 403
    assert AuditRecord.objects.filter(pk=record.pk).exists()


def test_a_host_signs_a_member_out_everywhere(client, client_as, member, host):
    client.post(reverse("account_login"), {"login": member.email,
                                           "password": factories.PASSWORD})
    assert client.get(reverse("notifications")).status_code == 200
    host_client = client.__class__()
    host_client.force_login(host)
    response = host_client.post(reverse("member_sessions_end", args=[member.username]),
                                follow=True)
    assert "Ended 1 session" in response.content.decode()
    assert client.get(reverse("notifications")).status_code == 302  # signed out
    assert AuditRecord.objects.get(kind="sessions_ended").user == member
    other = factories.UserFactory()
    assert client_as(other).post(reverse("member_sessions_end",
                                         args=[member.username])).status_code == 403


def _signed_in(user):
    from django.test import Client

    browser = Client()
    browser.post(reverse("account_login"), {"login": user.email,
                                            "password": factories.PASSWORD})
    assert browser.get(reverse("notifications")).status_code == 200
    return browser


def test_only_an_admin_signs_a_host_or_an_admin_out(client_as, host, admin_user):
    other_host = factories.HostFactory()
    admin_browser, host_browser = _signed_in(admin_user), _signed_in(other_host)
    client = client_as(host)
    for target in (admin_user, other_host):
        response = client.post(reverse("member_sessions_end", args=[target.username]))
        assert response.status_code == 403
        assert "Only an admin" in response.content.decode()
    assert admin_browser.get(reverse("notifications")).status_code == 200
    assert host_browser.get(reverse("notifications")).status_code == 200
    profile = client.get(reverse("profile", args=[admin_user.username])).content.decode()
    assert "out everywhere" not in profile

    response = client_as(admin_user).post(
        reverse("member_sessions_end", args=[other_host.username]))
    assert response.status_code == 302
    assert host_browser.get(reverse("notifications")).status_code == 302
