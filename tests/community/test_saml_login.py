"""Single sign-on with SAML 2.0, against a real identity provider on a loopback port
(tests/saml_idp.py: pysaml2's IdP), configured the way an operator does: environment
variables read by ``config.settings.saml_apps``."""
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from community.host.audit import AuditRecord
from community.models import User
from config.settings import saml_apps
from tests import factories

from ..saml_idp import StandInIdP

pytestmark = pytest.mark.django_db

HOST = "localhost"
SP_ENTITY_ID = "https://gravity.test/saml/sp"
ACS = f"http://{HOST}/accounts/saml/sso/acs/"
PEOPLE = {
    "grace": {"password": "hopper-1906", "email": "grace@brewco.example",
              "displayName": "Grace Brewer", "groups": ["engineering", "community-team"]},
    "linus": {"password": "kernel-1991", "email": "linus@brewco.example",
              "displayName": "Linus Tap", "groups": ["engineering"]},
}


def environment(idp, **extra) -> dict:
    """How an operator points Gravity at the IdP: the attribute names are those the
    stand-in releases (pysaml2's "basic" names for mail and display name)."""
    return {"SAML_IDP_METADATA_URL": idp.metadata_url, "SAML_IDP_NAME": "BrewCo Okta",
            "SAML_SP_ENTITY_ID": SP_ENTITY_ID, "SAML_STAFF_GROUP": "community-team",
            "SAML_ATTRIBUTE_EMAIL": "urn:mace:dir:attribute-def:email",
            "SAML_ATTRIBUTE_NAME": "urn:mace:dir:attribute-def:displayName",
            "SAML_ATTRIBUTE_GROUPS": "groups", **extra}


@pytest.fixture
def idp(settings):
    with StandInIdP(sp_entity_id=SP_ENTITY_ID, acs_url=ACS, people=PEOPLE) as running:
        settings.SOCIALACCOUNT_PROVIDERS = {**settings.SOCIALACCOUNT_PROVIDERS,
                                            "saml": {"APPS": saml_apps(environment(running))}}
        yield running


@pytest.fixture
def browser():
    return Client(HTTP_HOST=HOST)


def start(browser) -> str:
    """Press "Sign in with BrewCo Okta": where Gravity sends the browser (the IdP)."""
    response = browser.post(reverse("saml_login", kwargs={"organization_slug": "sso"}))
    assert response.status_code == 302
    return response["Location"]


def post_back(browser, posted: dict, *, follow=True):
    """What the IdP's page does: post the Response to Gravity's ACS."""
    acs = urlsplit(posted["action"]).path
    return browser.post(acs, {"SAMLResponse": posted["SAMLResponse"],
                              "RelayState": posted["RelayState"]}, follow=follow)


def signed_in(browser) -> User | None:
    pk = browser.session.get("_auth_user_id")
    return User.objects.get(pk=pk) if pk else None


def test_settings_read_the_idp_and_attribute_map_from_the_environment(tmp_path):
    assert saml_apps({}) == []
    metadata = tmp_path / "idp.xml"
    with StandInIdP(sp_entity_id=SP_ENTITY_ID, acs_url=ACS, people=PEOPLE) as running:
        metadata.write_text(running.metadata)
        (app,) = saml_apps({"SAML_IDP_METADATA_FILE": str(metadata), "SAML_SLUG": "brewco",
                            "SAML_ATTRIBUTE_EMAIL": "mail, email", "SAML_EMAIL_VERIFIED":
                            "brewco.example"})
        assert app["client_id"] == "brewco"
        assert app["settings"]["idp"]["sso_url"] == running.sso_url
        assert app["settings"]["idp"]["entity_id"] == running.entity_id
        assert app["settings"]["attribute_mapping"]["email"] == ["mail", "email"]
        assert app["settings"]["verified_email"] == ["brewco.example"]
        assert app["settings"]["staff_group"] == ""  # unset: SAML changes nobody's role


def test_login_page_offers_the_idp_only_when_configured(browser, settings):
    assert "Sign in with" not in browser.get(reverse("account_login")).content.decode()
    with StandInIdP(sp_entity_id=SP_ENTITY_ID, acs_url=ACS, people=PEOPLE) as running:
        settings.SOCIALACCOUNT_PROVIDERS = {**settings.SOCIALACCOUNT_PROVIDERS,
                                            "saml": {"APPS": saml_apps(environment(running))}}
        page = browser.get(reverse("account_login")).content.decode()
    assert "Sign in with BrewCo Okta" in page


def test_first_sign_in_makes_an_account_with_the_idps_attributes(browser, idp):
    to_idp = start(browser)
    assert to_idp.startswith(idp.sso_url + "?SAMLRequest=")

    response = post_back(browser, idp.respond(to_idp, login="linus"))

    assert response.status_code == 200
    member = signed_in(browser)
    assert member is not None and member.email == "linus@brewco.example"
    assert member.display_name == "Linus Tap"
    assert not member.is_host  # "engineering" is not the staff group
    assert EmailAddress.objects.get(user=member).verified
    account = SocialAccount.objects.get(user=member, provider="saml")
    assert account.uid == "idp-linus"
    assert account.extra_data["groups"] == ["engineering"]


def test_staff_group_makes_a_host_and_leaving_it_removes_it(browser, idp):
    post_back(browser, idp.respond(start(browser), login="grace"))
    grace = signed_in(browser)
    assert grace.is_host
    browser.post(reverse("account_logout"))

    PEOPLE["grace"]["groups"] = ["engineering"]  # the company moved her to another team
    try:
        again = Client(HTTP_HOST=HOST)
        post_back(again, idp.respond(start(again), login="grace"))
    finally:
        PEOPLE["grace"]["groups"] = ["engineering", "community-team"]
    assert signed_in(again) == grace
    grace.refresh_from_db()
    assert not grace.is_host
    assert User.objects.filter(email="grace@brewco.example").count() == 1


def test_existing_member_with_the_verified_address_is_signed_in_and_linked(browser, idp):
    existing = factories.UserFactory(username="linus_t", email="linus@brewco.example")

    post_back(browser, idp.respond(start(browser), login="linus"))

    assert signed_in(browser) == existing
    assert SocialAccount.objects.filter(user=existing, provider="saml").exists()
    assert User.objects.filter(email__iexact="linus@brewco.example").count() == 1


def test_an_unverified_account_with_the_address_is_never_taken_over(browser, idp):
    squatter = factories.UserFactory(username="squatter", email="linus@brewco.example",
                                     verified=False)
    EmailAddress.objects.create(user=squatter, email=squatter.email, verified=False,
                                primary=True)

    post_back(browser, idp.respond(start(browser), login="linus"))

    assert signed_in(browser) != squatter
    assert not SocialAccount.objects.filter(user=squatter).exists()
    squatter.refresh_from_db()
    assert squatter.check_password(factories.PASSWORD)  # their account is left as it was


@pytest.mark.parametrize(("tamper", "reason"), [
    ("signature", "Signature validation failed"),  # the address changed after signing
    ("audience", "not a valid audience"),  # issued for another service provider
    ("recipient", "was received at"),  # addressed to another endpoint
    ("expired", "expired"),  # its time window is over
])
def test_a_tampered_response_is_refused_with_a_page_that_says_so(browser, idp, tamper, reason):
    posted = idp.respond(start(browser), login="grace", tamper=tamper)

    response = post_back(browser, posted)

    assert response.status_code == 403
    page = response.content.decode()
    assert "Sign-in with BrewCo Okta was refused" in page
    assert "nobody was signed in" in page
    assert signed_in(browser) is None
    assert not User.objects.filter(email__in=["grace@brewco.example",
                                              "intruder@example.com"]).exists()
    refusal = AuditRecord.objects.get(kind="login_failed", identifier="saml")
    assert reason in refusal.detail


def test_a_replayed_response_is_refused(browser, idp):
    posted = idp.respond(start(browser), login="linus")
    post_back(browser, posted)
    linus = signed_in(browser)
    assert linus is not None
    browser.post(reverse("account_logout"))

    again = post_back(browser, posted)  # the same response, a second time
    assert again.status_code == 403
    assert "was refused" in again.content.decode()
    assert signed_in(browser) is None

    elsewhere = Client(HTTP_HOST=HOST)  # captured and posted from another browser
    response = post_back(elsewhere, posted)
    assert response.status_code == 403
    assert signed_in(elsewhere) is None


def test_a_response_to_another_browsers_request_is_refused(browser, idp):
    other = Client(HTTP_HOST=HOST)
    posted = idp.respond(start(other), login="linus")  # a request this browser never made
    response = post_back(browser, posted)
    assert response.status_code == 403
    assert signed_in(browser) is None


def test_the_team_badge_on_the_cached_profile_follows_the_staff_group(browser, idp):
    """Posts keep the role they were written with; the profile says who hosts now."""
    grace = factories.UserFactory(username="grace_b", email="grace@brewco.example",
                                  display_name="Grace Brewer")
    profile = reverse("profile", kwargs={"username": grace.username})
    reader = Client()  # an anonymous reader: the page is kept in the cache
    assert "badge-brand" not in reader.get(profile).content.decode()

    post_back(browser, idp.respond(start(browser), login="grace"))  # in the staff group
    assert "badge-brand" in reader.get(profile).content.decode()

    PEOPLE["grace"]["groups"] = ["engineering"]
    try:
        again = Client(HTTP_HOST=HOST)
        post_back(again, idp.respond(start(again), login="grace"))
    finally:
        PEOPLE["grace"]["groups"] = ["engineering", "community-team"]
    assert "badge-brand" not in reader.get(profile).content.decode()


def test_gravity_publishes_its_sp_metadata_for_the_idp(browser, idp):
    response = browser.get(reverse("saml_metadata", kwargs={"organization_slug": "sso"}))
    assert response.status_code == 200
    metadata = response.content.decode()
    assert f'entityID="{SP_ENTITY_ID}"' in metadata
    assert f'Location="{ACS}"' in metadata
    assert "HTTP-POST" in metadata
