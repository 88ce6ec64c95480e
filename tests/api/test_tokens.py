"""Personal access tokens: created on the settings page and shown once, stored hashed,
listed by their prefix, revoked after a confirmation; scopes never beyond the member's
role; an expired or revoked token is a 401 problem; each creation and revocation is an
event."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from community.api import tokens
from community.models import AccessToken, EngagementEvent

from .. import factories
from ..conftest import sign_in
from .conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db


def test_a_member_creates_a_token_sees_it_once_and_it_works(client):
    member = factories.UserFactory()
    client.force_login(member)
    page = client.get(reverse("api_tokens"))
    assert page.status_code == 200 and "No tokens yet." in page.content.decode()
    # A member is offered write; moderate and admin are not theirs to give.
    assert 'value="write"' in page.content.decode()
    assert 'value="moderate"' not in page.content.decode()
    created = client.post(reverse("api_tokens"), {"name": "Help desk sync",
                                                  "scopes": ["write"], "days": "30"})
    assert created.status_code == 200 and created["Cache-Control"] == "no-store"
    secret = created.context["secret"]
    assert secret.startswith("grv_") and secret in created.content.decode()
    token = AccessToken.objects.get(user=member)
    assert token.scopes == ["read", "write"] and token.secret_hash == tokens.digest(secret)
    assert secret not in str(AccessToken.objects.filter(pk=token.pk).values().get())
    # Listed afterwards by its prefix; the secret is never shown again.
    again = client.get(reverse("api_tokens")).content.decode()
    assert f"grv_{token.prefix}…" in again and secret not in again
    # It acts as its member.
    thread_path = reverse("api:thread-list")
    space = factories.SpaceFactory(name="Kettles")
    made = ApiClient(secret).post(thread_path, {"space": space.slug, "title": "From the desk",
                                                "body": "A question from the help desk"})
    assert made.status_code == 201 and made.json()["author"]["username"] == member.username
    token.refresh_from_db()
    assert token.last_used_at is not None
    event = EngagementEvent.objects.get(kind="token_created")
    assert event.actor == member and event.payload == {"token": token.pk,
                                                       "scopes": ["read", "write"]}


def test_revoking_asks_first_then_the_token_stops_working(client):
    member = factories.UserFactory()
    token, secret = token_for(member, "read")
    assert ApiClient(secret).get(reverse("api:tag-list")).status_code == 200
    client.force_login(member)
    confirm = client.get(reverse("api_token_revoke", args=[token.pk]))
    assert confirm.status_code == 200 and "stops working at once" in confirm.content.decode()
    assert AccessToken.objects.get(pk=token.pk).revoked_at is None  # asking changes nothing
    done = client.post(reverse("api_token_revoke", args=[token.pk]), follow=True)
    assert "is revoked" in done.content.decode()
    refused = ApiClient(secret).get(reverse("api:tag-list"))
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["detail"] == "The access token is unknown, expired or revoked."
    assert EngagementEvent.objects.filter(kind="token_revoked", actor=member).count() == 1
    # Someone else's token is not found for revoking.
    other, _ = token_for(factories.UserFactory(), "read")
    assert client.post(reverse("api_token_revoke", args=[other.pk])).status_code == 404


def test_an_expired_a_forged_or_a_malformed_token_is_refused():
    member = factories.UserFactory()
    token, secret = token_for(member, "read")
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now()
                                                   - timedelta(seconds=1))
    assert ApiClient(secret).get(reverse("api:tag-list")).status_code == 401
    live, secret = token_for(member, "read")
    forged = secret[:-4] + ("AAAA" if not secret.endswith("AAAA") else "BBBB")
    assert ApiClient(forged).get(reverse("api:tag-list")).status_code == 401
    assert ApiClient("not-a-token").get(reverse("api:tag-list")).status_code == 401
    member.is_active = False
    member.save()
    assert ApiClient(secret).get(reverse("api:tag-list")).status_code == 401


def test_scopes_never_exceed_the_member_s_role():
    member, host, admin = (factories.UserFactory(), factories.HostFactory(),
                           factories.AdminFactory())
    with pytest.raises(ValidationError, match="moderate"):
        token_for(member, "moderate")
    with pytest.raises(ValidationError, match="admin"):
        token_for(host, "admin")
    assert token_for(host, "moderate")[0].scopes == ["read", "moderate"]
    assert token_for(admin, "write", "moderate", "admin")[0].scopes == [
        "read", "write", "moderate", "admin"]
    with pytest.raises(ValidationError, match="at most"):
        token_for(member, "read", days=10_000)
    with pytest.raises(ValidationError, match="name"):
        tokens.token_create(user=member, name="  ", scopes=["read"])


def test_a_host_who_stops_hosting_keeps_a_token_that_moderates_nothing(api):
    host = factories.HostFactory()
    client = api(host, "moderate")
    assert client.get(reverse("api:health")).status_code == 200
    host.is_host = False
    host.save()
    assert client.get(reverse("api:health")).status_code == 403


def test_a_refused_form_keeps_what_was_typed(client):
    client.force_login(factories.UserFactory())
    response = client.post(reverse("api_tokens"), {"name": "", "scopes": ["write"],
                                                   "days": "30"})
    assert response.status_code == 400 and not AccessToken.objects.exists()
    assert "This field is required." in response.content.decode()


def test_admins_read_the_tokens_list_and_cannot_change_it(client):
    admin = factories.AdminFactory()
    token, _ = token_for(factories.UserFactory(), "read")
    sign_in(client, admin)
    listing = client.get(reverse("admin:community_accesstoken_changelist"))
    assert listing.status_code == 200 and token.prefix in listing.content.decode()
    assert client.get(reverse("admin:community_accesstoken_add")).status_code == 403
    detail = client.get(reverse("admin:community_accesstoken_change", args=[token.pk]))
    assert detail.status_code == 200 and token.secret_hash not in detail.content.decode()
