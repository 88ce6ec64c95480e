"""Partner pages cost the same number of queries with 2 pieces of content or 25."""
import pytest
from django.urls import reverse

from community.services import conversations
from partners import services

from .. import budgets, factories

pytestmark = pytest.mark.django_db



def _grow(organisation, admin, space, n: int) -> None:
    for i in range(n):
        coauthor = factories.UserFactory()
        post = services.partner_publish(author=admin, organisation=organisation, kind="howto",
                                        space=space, title=f"How-to number {i} of {n}",
                                        body="Steps", coauthors=[coauthor])
        services.coauthor_respond(user=coauthor, coauthor=post.coauthors.get(), accept=True)
        conversations.post_create(author=coauthor, thread=post.thread, body="Proud of it")



def test_partner_pages_cost_the_same_at_two_sizes(client):
    organisation = factories.OrganisationFactory(name="Northfield Hop Farm")
    admin = factories.PartnerFactory(organisation=organisation)
    space = factories.SpaceFactory(name="Recipes")
    client.force_login(admin)
    _grow(organisation, admin, space, 2)
    first = services.PartnerPost.objects.order_by("pk").first().thread
    pages = {
        "partners": reverse("partners:organisations"),
        "organisation": organisation.get_absolute_url(),
        "insights": reverse("partners:insights", args=[organisation.slug]),
        "people": reverse("partners:people", args=[organisation.slug]),
        "partner thread": first.get_absolute_url(),
    }
    small = {name: budgets.queries(client, url) for name, url in pages.items()}
    _grow(organisation, admin, space, 25)
    large = {name: budgets.queries(client, url) for name, url in pages.items()}
    budgets.assert_flat(small, large)
