"""OAuth 2 for third-party apps: an admin registers an app; a member authorises it on the
consent page with a real PKCE pair (S256); the app exchanges the code, calls /api/v1/ with
the bearer token, refreshes (the refresh token replaced each time) and is revoked. Scopes
never exceed the member's role; a reused code, a wrong verifier, a wrong redirect URI, an
unknown scope, an expired or revoked token are clear OAuth errors, never a 500."""
import base64
import hashlib
import secrets
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oauth2_provider.models import AccessToken as AppToken
from oauth2_provider.models import Application, RefreshToken

from community.api.oauth import services
from community.models import EngagementEvent

from .. import factories
from ..conftest import sign_in

pytestmark = pytest.mark.django_db

REDIRECT = "https://desk.example.com/callback"
NATIVE = "http://127.0.0.1/callback"


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


def register(*, client_type="confidential", uris=REDIRECT, name="Help desk"):
    admin = factories.AdminFactory()
    return services.app_register(admin=admin, name=name, redirect_uris=uris,
                                 client_type=client_type)


def authorize_url(app, challenge, *, scope="read write", redirect_uri=REDIRECT, **extra):
    query = {"response_type": "code", "client_id": app.client_id, "redirect_uri": redirect_uri,
             "scope": scope, "state": "xyz", "code_challenge": challenge,
             "code_challenge_method": "S256", **extra}
    return f"{reverse('oauth:authorize')}?{urlencode(query)}"


def consent(browser, app, challenge, *, scope="read write", allow=True, redirect_uri=REDIRECT):
    """The member opens the consent page and presses Allow (or Deny): the redirect."""
    page = browser.get(authorize_url(app, challenge, scope=scope, redirect_uri=redirect_uri))
    assert page.status_code == 200, page.content[:300]
    form = page.context["form"]
    data = {name: field.value() or "" for name, field in
            ((n, form[n]) for n in form.fields) if name != "allow"}
    if allow:
        data["allow"] = "on"
    return page, browser.post(reverse("oauth:authorize"), data)


def code_of(response) -> str:
    assert response.status_code == 302, response.content[:300]
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["state"] == ["xyz"]
    return query["code"][0]


def exchange(app, code, verifier, *, secret="", redirect_uri=REDIRECT):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "client_id": app.client_id, "code_verifier": verifier}
    if secret:
        data["client_secret"] = secret
    return Client().post(reverse("oauth:token"), data)


def refresh(app, refresh_token, *, secret=""):
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token,
            "client_id": app.client_id}
    if secret:
        data["client_secret"] = secret
    return Client().post(reverse("oauth:token"), data)


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_the_whole_flow_authorise_exchange_call_refresh_revoke():
    app, secret = register()
    member = factories.UserFactory(username="ada")
    space = factories.SpaceFactory(name="Kettles")
    browser = signed_in(member)
    verifier, challenge = pkce_pair()
    page, allowed = consent(browser, app, challenge)
    text = page.content.decode()
    assert "Help desk" in text and "Post, reply, edit your posts and vote, as you" in text
    assert "Allow" in text and "Deny" in text
    code = code_of(allowed)
    assert allowed["Location"].startswith(REDIRECT)
    # RFC 9207: the redirect names the server that issued the code.
    assert parse_qs(urlsplit(allowed["Location"]).query)["iss"] == [django_settings.SITE_URL]
    event = EngagementEvent.objects.get(kind="app_authorised")
    assert event.actor == member and event.payload == {"application": app.pk,
                                                       "scopes": ["read", "write"]}

    issued = exchange(app, code, verifier, secret=secret)
    assert issued.status_code == 200, issued.content
    body = issued.json()
    assert body["token_type"] == "Bearer" and body["scope"] == "read write"
    assert body["expires_in"] == 3600 and body["refresh_token"]
    # Only the tokens' hashes are kept.
    stored = AppToken.objects.get(user=member)
    assert body["access_token"] not in str(AppToken.objects.filter(pk=stored.pk).values().get())

    # The token acts as its member, within its scopes.
    api = Client()
    made = api.post(reverse("api:thread-list"), {"space": space.slug, "title": "From the desk",
                                                 "body": "A question from the help desk"},
                    content_type="application/json", headers=bearer(body["access_token"]))
    assert made.status_code == 201 and made.json()["author"]["username"] == "ada"
    health = api.get(reverse("api:health"), headers=bearer(body["access_token"]))
    assert health.status_code == 403
    assert health.json()["detail"] == "This token does not have the moderate scope."

    # Refresh: a new pair; the old refresh token no longer works, the old access token ends.
    renewed = refresh(app, body["refresh_token"], secret=secret)
    assert renewed.status_code == 200, renewed.content
    fresh = renewed.json()
    assert fresh["refresh_token"] != body["refresh_token"] and fresh["scope"] == "read write"
    assert api.get(reverse("api:tag-list"), headers=bearer(fresh["access_token"])
                   ).status_code == 200
    assert api.get(reverse("api:tag-list"), headers=bearer(body["access_token"])
                   ).status_code == 401

    # The member sees the app on their settings page and revokes it after a confirmation.
    listed = browser.get(reverse("oauth_authorised"))
    assert listed.status_code == 200 and "Help desk" in listed.content.decode()
    revoke_url = reverse("oauth_authorised_revoke", args=[app.pk])
    confirm = browser.get(revoke_url)
    assert confirm.status_code == 200 and "Revoke “Help desk”?" in confirm.content.decode()
    done = browser.post(revoke_url, follow=True)
    assert "can no longer act for you" in done.content.decode()
    assert "No apps" in done.content.decode()
    refused = api.get(reverse("api:tag-list"), headers=bearer(fresh["access_token"]))
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["detail"] == "The access token is unknown, expired or revoked."
    assert refresh(app, fresh["refresh_token"], secret=secret).status_code == 400
    revoked = EngagementEvent.objects.get(kind="app_revoked")
    assert revoked.actor == member and revoked.subject_user == member
    assert revoked.payload["application"] == app.pk and revoked.payload["tokens"] >= 1


def test_a_refresh_token_used_twice_ends_the_whole_authorisation():
    app, secret = register()
    verifier, challenge = pkce_pair()
    _page, allowed = consent(signed_in(factories.UserFactory()), app, challenge)
    first = exchange(app, code_of(allowed), verifier, secret=secret).json()
    second = refresh(app, first["refresh_token"], secret=secret).json()
    stolen = refresh(app, first["refresh_token"], secret=secret)
    assert stolen.status_code == 400 and stolen.json()["error"] == "invalid_grant"
    # Whoever held the replaced token cannot tell the app from a thief: both stop.
    assert refresh(app, second["refresh_token"], secret=secret).status_code == 400
    assert Client().get(reverse("api:tag-list"), headers=bearer(second["access_token"])
                        ).status_code == 401


def test_a_public_native_app_on_a_loopback_port():
    app, secret = register(client_type="public", uris=NATIVE, name="Desktop brewlog")
    assert secret == ""
    member = factories.UserFactory()
    verifier, challenge = pkce_pair()
    # RFC 8252: any port on the loopback address.
    _page, allowed = consent(signed_in(member), app, challenge, scope="read",
                             redirect_uri="http://127.0.0.1:53127/callback")
    code = code_of(allowed)
    issued = exchange(app, code, verifier, redirect_uri="http://127.0.0.1:53127/callback")
    assert issued.status_code == 200 and issued.json()["scope"] == "read"


def test_the_scopes_never_exceed_the_member_s_role():
    app, secret = register()
    member, host = factories.UserFactory(), factories.HostFactory()
    verifier, challenge = pkce_pair()
    page, allowed = consent(signed_in(member), app, challenge,
                            scope="read write moderate admin")
    text = page.content.decode()
    # Offered only what a member may give; the rest named as withheld.
    assert "It also asked for what your role does not allow" in text
    assert page.context["form"]["scope"].value() == "read write"
    body = exchange(app, code_of(allowed), verifier, secret=secret).json()
    assert body["scope"] == "read write"

    # A changed hidden field gives no more.
    verifier, challenge = pkce_pair()
    page = signed_in(member).get(authorize_url(app, challenge, scope="read moderate"))
    form = page.context["form"]
    data = {n: form[n].value() or "" for n in form.fields if n != "allow"}
    data.update(allow="on", scope="read write moderate admin")
    tampered = signed_in(member).post(reverse("oauth:authorize"), data)
    assert exchange(app, code_of(tampered), verifier, secret=secret).json()["scope"] == \
        "read write"

    # A host may grant moderate; their token reads the health figures.
    verifier, challenge = pkce_pair()
    _page, allowed = consent(signed_in(host), app, challenge, scope="read moderate")
    token = exchange(app, code_of(allowed), verifier, secret=secret).json()
    assert token["scope"] == "read moderate"
    assert Client().get(reverse("api:health"), headers=bearer(token["access_token"])
                        ).status_code == 200

    # A host who stops hosting: the refreshed token carries no more than a member's.
    host.is_host = False
    host.save(update_fields=["is_host"])
    renewed = refresh(app, token["refresh_token"], secret=secret)
    assert renewed.status_code == 200 and renewed.json()["scope"] == "read"


def test_a_reused_code_is_refused():
    app, secret = register()
    verifier, challenge = pkce_pair()
    _page, allowed = consent(signed_in(factories.UserFactory()), app, challenge)
    code = code_of(allowed)
    assert exchange(app, code, verifier, secret=secret).status_code == 200
    reused = exchange(app, code, verifier, secret=secret)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"


def test_a_wrong_or_missing_verifier_is_refused():
    app, secret = register()
    verifier, challenge = pkce_pair()
    _page, allowed = consent(signed_in(factories.UserFactory()), app, challenge)
    code = code_of(allowed)
    wrong = exchange(app, code, pkce_pair()[0], secret=secret)
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    assert wrong["Content-Type"].startswith("application/json")
    missing = Client().post(reverse("oauth:token"), {
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
        "client_id": app.client_id, "client_secret": secret})
    assert missing.status_code == 400 and missing.json()["error"] in ("invalid_request",
                                                                      "invalid_grant")


def test_pkce_is_required_and_only_s256():
    app, _secret = register()
    browser = signed_in(factories.UserFactory())
    base = {"response_type": "code", "client_id": app.client_id, "redirect_uri": REDIRECT,
            "scope": "read", "state": "xyz"}
    url = reverse("oauth:authorize")
    for extra in ({}, {"code_challenge": "a" * 43, "code_challenge_method": "plain"},
                  {"code_challenge": "a" * 43}):
        refused = browser.get(f"{url}?{urlencode({**base, **extra})}")
        assert refused.status_code == 302
        query = parse_qs(urlsplit(refused["Location"]).query)
        assert query["error"] == ["invalid_request"] and query["state"] == ["xyz"]


def test_no_implicit_no_password_no_client_credentials_grant():
    app, secret = register()
    member = factories.UserFactory()
    _verifier, challenge = pkce_pair()
    implicit = signed_in(member).get(authorize_url(app, challenge, response_type="token"))
    assert implicit.status_code == 302
    assert "error=unsupported_response_type" in implicit["Location"]
    for data in ({"grant_type": "password", "username": member.username,
                  "password": factories.PASSWORD},
                 {"grant_type": "client_credentials"}):
        refused = Client().post(reverse("oauth:token"), {
            **data, "client_id": app.client_id, "client_secret": secret})
        assert refused.status_code == 400
        assert refused.json()["error"] == "unsupported_grant_type"


def test_a_wrong_redirect_uri_or_unknown_app_is_said_on_the_page_never_redirected():
    app, _secret = register()
    browser = signed_in(factories.UserFactory())
    _verifier, challenge = pkce_pair()
    for url in (authorize_url(app, challenge, redirect_uri="https://evil.example.com/cb"),
                authorize_url(app, challenge).replace(app.client_id, "nobody")):
        page = browser.get(url)
        assert page.status_code in (200, 400)
        text = page.content.decode()
        assert "This app cannot be authorised" in text and "evil.example.com/cb\"" not in text


def test_a_redirect_uri_at_the_token_endpoint_must_match():
    app, secret = register(uris=f"{REDIRECT}\nhttps://desk.example.com/other")
    verifier, challenge = pkce_pair()
    _page, allowed = consent(signed_in(factories.UserFactory()), app, challenge)
    refused = exchange(app, code_of(allowed), verifier, secret=secret,
                       redirect_uri="https://desk.example.com/other")
    assert refused.status_code == 400 and refused.json()["error"] in ("invalid_request",
                                                                      "invalid_grant")


def test_an_unknown_scope_goes_back_to_the_app_as_invalid_scope():
    app, _secret = register()
    _verifier, challenge = pkce_pair()
    page = signed_in(factories.UserFactory()).get(
        authorize_url(app, challenge, scope="read everything"))
    assert page.status_code == 302 and page["Location"].startswith(REDIRECT)
    assert parse_qs(urlsplit(page["Location"]).query)["error"] == ["invalid_scope"]


def test_deny_goes_back_with_access_denied_and_records_nothing():
    app, _secret = register()
    _verifier, challenge = pkce_pair()
    _page, denied = consent(signed_in(factories.UserFactory()), app, challenge, allow=False)
    assert denied.status_code == 302
    assert parse_qs(urlsplit(denied["Location"]).query)["error"] == ["access_denied"]
    assert not EngagementEvent.objects.filter(kind="app_authorised").exists()


def test_an_expired_token_and_a_removed_app_s_token_are_refused():
    app, secret = register()
    member = factories.UserFactory()
    verifier, challenge = pkce_pair()
    _page, allowed = consent(signed_in(member), app, challenge)
    token = exchange(app, code_of(allowed), verifier, secret=secret).json()
    AppToken.objects.filter(user=member).update(expires=timezone.now() - timedelta(seconds=1))
    expired = Client().get(reverse("api:tag-list"), headers=bearer(token["access_token"]))
    assert expired.status_code == 401 and expired["Content-Type"] == "application/problem+json"
    renewed = refresh(app, token["refresh_token"], secret=secret).json()
    assert Client().get(reverse("api:tag-list"), headers=bearer(renewed["access_token"])
                        ).status_code == 200
    app_id = app.pk
    services.app_remove(admin=factories.AdminFactory(), app=app)
    gone = Client().get(reverse("api:tag-list"), headers=bearer(renewed["access_token"]))
    assert gone.status_code == 401
    assert not RefreshToken.objects.exists()
    saved = list(EngagementEvent.objects.filter(kind="app_saved").values_list(
        "payload", flat=True))
    assert {"application": app_id, "action": "removed"} in saved


def test_a_suspended_member_s_account_gets_no_token():
    app, secret = register()
    member = factories.UserFactory()
    verifier, challenge = pkce_pair()
    _page, allowed = consent(signed_in(member), app, challenge)
    code = code_of(allowed)
    member.is_active = False
    member.save(update_fields=["is_active"])
    refused = exchange(app, code, verifier, secret=secret)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"


def test_odd_requests_to_the_token_endpoint_are_oauth_errors_not_500s():
    app, secret = register()
    token_url = reverse("oauth:token")
    for data in ({}, {"grant_type": "authorization_code"},
                 {"grant_type": "authorization_code", "code": "x" * 5000,
                  "client_id": app.client_id, "client_secret": secret, "code_verifier": "v"},
                 {"grant_type": "refresh_token", "refresh_token": "nope",
                  "client_id": app.client_id, "client_secret": secret},
                 {"grant_type": "authorization_code", "code": "x", "client_id": "nobody"},
                 {"grant_type": "authorization_code", "code": "x",
                  "client_id": app.client_id, "client_secret": "wrong"}):
        answer = Client().post(token_url, data)
        assert 400 <= answer.status_code < 500, (data, answer.status_code)
        assert "error" in answer.json()
    assert Client().get(token_url).status_code in (400, 405)
    assert Client().get(reverse("api:tag-list"), headers=bearer("not-a-token")
                        ).status_code == 401


def test_the_app_revokes_its_own_token():
    app, secret = register()
    verifier, challenge = pkce_pair()
    _page, allowed = consent(signed_in(factories.UserFactory()), app, challenge)
    token = exchange(app, code_of(allowed), verifier, secret=secret).json()
    done = Client().post(reverse("oauth:revoke"), {
        "token": token["access_token"], "client_id": app.client_id, "client_secret": secret})
    assert done.status_code == 200
    assert Client().get(reverse("api:tag-list"), headers=bearer(token["access_token"])
                        ).status_code == 401


@pytest.mark.parametrize(("uris", "ok"), [
    ("https://desk.example.com/cb", True),
    ("http://127.0.0.1/cb", True),
    ("http://[::1]:8080/cb", True),
    ("http://desk.example.com/cb", False),
    ("http://localhost/cb", False),
    ("https://desk.example.com/cb#frag", False),
    ("https://*.example.com/cb", False),
    ("com.example.app:/cb", False),
    ("javascript:alert(1)", False),
    ("https:///nohost", False),
    ("", False),
])
def test_redirect_uris_are_https_or_loopback(uris, ok):
    admin = factories.AdminFactory()
    if ok:
        app, _ = services.app_register(admin=admin, name="App", redirect_uris=uris,
                                       client_type="public")
        assert app.redirect_uris == uris
    else:
        with pytest.raises(services.ValidationError):
            services.app_register(admin=admin, name="App", redirect_uris=uris,
                                  client_type="public")


def test_admins_register_an_app_see_its_secret_once_and_remove_it(client):
    admin = factories.AdminFactory()
    client.force_login(admin)
    empty = client.get(reverse("oauth_app_list"))
    assert empty.status_code == 200 and "No apps yet" in empty.content.decode()
    refused = client.post(reverse("oauth_app_create"), {
        "name": "CRM", "redirect_uris": "http://crm.example.com/cb", "client_type": "public"})
    assert refused.status_code == 400 and "use https://" in refused.content.decode()
    assert "CRM" in refused.content.decode()  # what was typed stays
    made = client.post(reverse("oauth_app_create"), {
        "name": "CRM", "redirect_uris": "https://crm.example.com/cb",
        "client_type": "confidential"}, follow=True)
    app = Application.objects.get(name="CRM")
    text = made.content.decode()
    assert made.status_code == 200 and app.client_id in text and "client secret" in text
    secret = made.context["secret"]
    assert secret and secret in text and app.client_secret != secret  # hashed
    again = client.get(reverse("oauth_app_detail", args=[app.pk])).content.decode()
    assert secret not in again and app.client_id in again
    assert "CRM" in client.get(reverse("oauth_app_list")).content.decode()
    assert EngagementEvent.objects.filter(kind="app_saved", actor=admin).count() == 1
    confirm = client.get(reverse("oauth_app_delete", args=[app.pk]))
    assert confirm.status_code == 200 and "Remove “CRM”?" in confirm.content.decode()
    gone = client.post(reverse("oauth_app_delete", args=[app.pk]), follow=True)
    assert "is removed" in gone.content.decode() and not Application.objects.exists()


def test_the_consent_page_sends_the_visitor_to_sign_in_first(client):
    app, _secret = register()
    _verifier, challenge = pkce_pair()
    url = authorize_url(app, challenge)
    answer = client.get(url)
    assert answer.status_code == 302 and reverse("account_login") in answer["Location"]


def test_a_member_cannot_revoke_an_app_they_did_not_authorise(client):
    app, _secret = register()
    client.force_login(factories.UserFactory())
    assert client.get(reverse("oauth_authorised_revoke", args=[app.pk])).status_code == 404
    assert client.post(reverse("oauth_authorised_revoke", args=[app.pk])).status_code == 404


def test_an_app_s_requests_are_limited_per_authorisation(settings):
    settings.API_RATES = {**settings.API_RATES, "read": "2/min"}
    app, secret = register()
    verifier, challenge = pkce_pair()
    _page, allowed = consent(signed_in(factories.UserFactory()), app, challenge)
    token = exchange(app, code_of(allowed), verifier, secret=secret).json()
    api = Client()
    for _ in range(2):
        assert api.get(reverse("api:tag-list"), headers=bearer(token["access_token"])
                       ).status_code == 200
    # A refresh makes a new token, never a fresh allowance.
    renewed = refresh(app, token["refresh_token"], secret=secret).json()
    limited = api.get(reverse("api:tag-list"), headers=bearer(renewed["access_token"]))
    assert limited.status_code == 429 and limited["Retry-After"]


def test_the_admin_shows_apps_and_tokens_read_only(client):
    app, secret = register()
    member = factories.UserFactory()
    verifier, challenge = pkce_pair()
    _page, allowed = consent(signed_in(member), app, challenge)
    exchange(app, code_of(allowed), verifier, secret=secret)
    sign_in(client, factories.AdminFactory())
    for model, obj in (("application", app), ("accesstoken", AppToken.objects.get()),
                       ("refreshtoken", RefreshToken.objects.get())):
        listed = client.get(reverse(f"admin:oauth2_provider_{model}_changelist"))
        assert listed.status_code == 200
        shown = client.get(reverse(f"admin:oauth2_provider_{model}_change", args=[obj.pk]))
        assert shown.status_code == 200 and secret not in shown.content.decode()
        assert client.get(reverse(f"admin:oauth2_provider_{model}_add")).status_code == 403


def test_the_daily_clean_up_deletes_tokens_that_can_no_longer_be_used():
    from django_celery_beat.models import PeriodicTask

    from community import tasks

    app, secret = register()
    member = factories.UserFactory()
    verifier, challenge = pkce_pair()
    _page, allowed = consent(signed_in(member), app, challenge)
    token = exchange(app, code_of(allowed), verifier, secret=secret).json()
    services.app_revoke(member=member, app=app)  # its refresh token revoked, not deleted
    # Kept while it could still be replayed (a replay ends its family), then deleted.
    RefreshToken.objects.update(revoked=timezone.now() - timedelta(days=31))
    live_secret = exchange_live(app, secret)
    tasks.clear_oauth_tokens()
    assert not RefreshToken.objects.filter(revoked__isnull=False).exists()
    assert Client().get(reverse("api:tag-list"), headers=bearer(live_secret)).status_code == 200
    assert Client().get(reverse("api:tag-list"), headers=bearer(token["access_token"])
                        ).status_code == 401
    assert PeriodicTask.objects.get(task="community.clear_oauth_tokens").enabled


def exchange_live(app, secret):
    verifier, challenge = pkce_pair()
    _page, allowed = consent(signed_in(factories.UserFactory()), app, challenge)
    return exchange(app, code_of(allowed), verifier, secret=secret).json()["access_token"]


def test_odd_requests_to_the_consent_page_are_errors_not_500s():
    app, secret = register()
    browser = signed_in(factories.UserFactory())
    _verifier, challenge = pkce_pair()
    base = {"response_type": "code", "client_id": app.client_id, "redirect_uri": REDIRECT,
            "scope": "read", "state": "xyz", "code_challenge": challenge,
            "code_challenge_method": "S256"}
    odd = [
        {"response_type": ""}, {"response_type": "code token"}, {"client_id": ""},
        {"redirect_uri": ""}, {"redirect_uri": "not a uri"}, {"scope": ""},
        {"scope": "x" * 5000}, {"scope": "read\u00e9"}, {"state": "s" * 3000},
        {"code_challenge": ""}, {"code_challenge": "short"},
        {"code_challenge_method": "S512"}, {"prompt": "none"}, {"prompt": "login"},
        {"approval_prompt": "auto"}, {"resource": "not-absolute"},
    ]
    url = reverse("oauth:authorize")
    for change in odd:
        answer = browser.get(f"{url}?{urlencode({**base, **change})}")
        assert answer.status_code in (200, 302, 400), (change, answer.status_code)
    # Repeated parameters and a form posted with bits missing.
    assert browser.get(f"{url}?{urlencode(base)}&client_id=other").status_code in (302, 400)
    assert browser.post(url, {"client_id": app.client_id, "allow": "on"}).status_code == 400
    posted = browser.post(url, {**base, "client_id": "nobody", "allow": "on"})
    assert posted.status_code in (302, 400)
    # A posted form whose redirect URI was changed never sends the browser there.
    evil = browser.post(url, {**base, "redirect_uri": "https://evil.example.com/cb",
                              "allow": "on"})
    assert evil.status_code in (200, 400) and "This app cannot be authorised" in \
        evil.content.decode()
    plain = browser.post(url, {**base, "code_challenge_method": "plain", "allow": "on"})
    assert plain.status_code == 302 and "code=" not in plain["Location"]
    # The token endpoint with JSON, or with the parameters in the query string.
    as_json = Client().post(reverse("oauth:token"), {"grant_type": "authorization_code"},
                            content_type="application/json")
    assert 400 <= as_json.status_code < 500
    in_query = Client().post(f"{reverse('oauth:token')}?grant_type=authorization_code&code=x")
    assert 400 <= in_query.status_code < 500
    # An access token in the query string is never read (RFC 9700): the API says 401 only
    # when a token was sent where tokens go.
    assert Client().get(reverse("api:tag-list") + "?access_token=x").status_code == 200


def test_query_budgets(django_assert_max_num_queries):
    """An app's token costs the API what a personal token does; the consent page and the
    settings page a small constant."""
    from .conftest import app_token_for, token_for

    member = factories.UserFactory()
    app, _secret = register()
    for other in range(3):  # more apps and members change nothing
        app_token_for(factories.UserFactory(), "read", app=app)
        app_token_for(member, "read", app=register(name=f"Other {other}")[0])
    secrets_ = {"personal": token_for(member, "read")[1],
                "app": app_token_for(member, "read", "write", app=app)}
    api = Client()
    for secret in secrets_.values():
        api.get(reverse("api:tag-list"), headers=bearer(secret))  # last-used bookkeeping
        with django_assert_max_num_queries(2):
            assert api.get(reverse("api:tag-list"), headers=bearer(secret)).status_code == 200
    browser = signed_in(member)
    _verifier, challenge = pkce_pair()
    browser.get(authorize_url(app, challenge))  # the session's first read
    with django_assert_max_num_queries(3):
        assert browser.get(authorize_url(app, challenge)).status_code == 200
    with django_assert_max_num_queries(5):
        page = browser.get(reverse("oauth_authorised"))
    assert page.status_code == 200 and page.content.decode().count(">Revoke</a>") == 4
