"""A company's person signs in with SAML in Chromium: "Sign in with BrewCo Okta" on the
sign-in page, their company's sign-in page (a real IdP on a loopback port,
tests/saml_idp.py), and back on Gravity signed in, a staff host because of their group."""
import copy

import pytest

from community.models import User
from config.settings import saml_apps, saml_form_origins
from tests.saml_idp import StandInIdP

SP_ENTITY_ID = "https://gravity.test/saml/sp"
PEOPLE = {"grace": {"password": "hopper-1906", "email": "grace@brewco.example",
                    "displayName": "Grace Brewer", "groups": ["community-team"]}}


@pytest.fixture
def idp(live_server, settings):
    with StandInIdP(sp_entity_id=SP_ENTITY_ID, acs_url=f"{live_server.url}/accounts/saml/sso/acs/",
                    people=PEOPLE) as running:
        apps = saml_apps({
            "SAML_IDP_METADATA_URL": running.metadata_url, "SAML_IDP_NAME": "BrewCo Okta",
            "SAML_SP_ENTITY_ID": SP_ENTITY_ID, "SAML_STAFF_GROUP": "community-team",
            "SAML_ATTRIBUTE_EMAIL": "urn:mace:dir:attribute-def:email",
            "SAML_ATTRIBUTE_NAME": "urn:mace:dir:attribute-def:displayName",
            "SAML_ATTRIBUTE_GROUPS": "groups",
        })
        settings.SOCIALACCOUNT_PROVIDERS = {**settings.SOCIALACCOUNT_PROVIDERS,
                                            "saml": {"APPS": apps}}
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"] = [*policy["DIRECTIVES"]["form-action"],
                                               *saml_form_origins(apps)]
        settings.CONTENT_SECURITY_POLICY = policy
        yield running


def test_company_person_signs_in_with_saml_and_lands_signed_in(page, idp):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with BrewCo Okta").click()

    # The company's own sign-in page.
    page.get_by_role("heading", name="Company sign-in").wait_for()
    assert page.url.startswith(idp.sso_url)
    page.get_by_label("Company login").fill("grace")
    page.get_by_label("Company password").fill("hopper-1906")
    page.get_by_role("button", name="Sign in to the company").click()

    # Back on Gravity, signed in: her name is in the header.
    page.get_by_role("navigation", name="Main").get_by_text("Grace Brewer").wait_for(
        state="attached")
    assert not page.url.startswith(idp.url)
    grace = User.objects.get(email="grace@brewco.example")
    assert grace.is_host  # her company's group makes her a staff host
    assert idp.sign_ins == ["grace"]


def test_sign_in_page_with_the_saml_button_is_axe_clean(browser, live_server, idp):
    from .test_accessibility import AXE, _need, axe_serious

    _need(AXE)
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)  # axe injected
    tab = context.new_page()
    tab.goto("/accounts/login/")
    serious = axe_serious(tab, "sign-in page")
    context.close()
    assert not serious, serious
