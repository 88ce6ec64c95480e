"""Drafts of partner content: kept as a partner types, back on the publish page, gone when
published; refused (403) to anyone who does not publish for the organisation."""
import pytest
from django.urls import reverse

from community.models import Draft
from partners.models import Organisation, PartnerPost

from .. import factories

pytestmark = pytest.mark.django_db


def _save(client, place, body, **extra):
    return client.post(reverse("draft_save"), {"place": place, "body": body, **extra},
                       HTTP_HX_REQUEST="true")


def test_a_partner_content_draft_is_kept_restored_and_goes_when_published(client_as):
    organisation = factories.OrganisationFactory(name="Northfield Hop Farm")
    partner = factories.PartnerFactory(organisation=organisation)
    space = factories.SpaceFactory(name="Recipes")
    client = client_as(partner)
    place = f"publish:{organisation.pk}"
    response = _save(client, place, "Steep, germinate, kil", title="Malting at home")
    assert response.status_code == 200 and "Draft saved" in response.content.decode()
    url = reverse("partners:publish", args=[organisation.slug])
    page = client.get(url).content.decode()
    assert 'value="Malting at home"' in page and "Steep, germinate, kil</textarea>" in page
    assert "Your unsent draft is back" in page and f'data-draft-place="{place}"' in page
    response = client.post(url, {"kind": "howto", "space": space.pk,
                                 "title": "Malting barley at home",
                                 "body": "Steep, germinate, kiln.", "nonce": "p1"})
    assert response.status_code == 302 and PartnerPost.objects.exists()
    assert not Draft.objects.filter(member=partner).exists()
    assert "Your unsent draft is back" not in client.get(url).content.decode()


def test_only_the_organisations_people_keep_a_draft_there(client_as, member, host):
    organisation = factories.OrganisationFactory(name="Northfield Hop Farm")
    other = factories.PartnerFactory()  # a partner of another organisation
    place = f"publish:{organisation.pk}"
    for who in (member, other, host):
        response = _save(client_as(who), place, "Not ours")
        assert response.status_code == 403, who
        assert "Only this organisation&#x27;s people" in response.content.decode()
    assert _save(client_as(member), "publish:999999", "Nowhere").status_code == 404
    assert not Draft.objects.exists()


def test_an_unverified_organisations_people_keep_no_draft(client_as):
    applied = factories.OrganisationFactory(name="Still Applying Ltd",
                                            status=Organisation.Status.APPLIED)
    applicant = factories.PartnerFactory(organisation=applied)
    response = _save(client_as(applicant), f"publish:{applied.pk}", "Too soon")
    assert response.status_code == 403 and "not verified" in response.content.decode()
    # Someone outside it is not told it exists.
    assert _save(client_as(factories.UserFactory()), f"publish:{applied.pk}",
                 "x").status_code == 404
