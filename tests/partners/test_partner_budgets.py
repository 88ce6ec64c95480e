"""Partner pages cost the same number of queries with 2 pieces of content or 25."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.services import conversations
from partners import services

from .. import factories

pytestmark = pytest.mark.django_db

BUDGET = 15


def _grow(organisation, admin, space, n: int) -> None:
    for i in range(n):
        coauthor = factories.UserFactory()
        post = services.partner_publish(author=admin, organisation=organisation, kind="howto",
                                        space=space, title=f"How-to number {i} of {n}",
                                        body="Steps", coauthors=[coauthor])
        services.coauthor_respond(user=coauthor, coauthor=post.coauthors.get(), accept=True)
        conversations.post_create(author=coauthor, thread=post.thread, body="Proud of it")


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


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
    small = {name: _count(client, url) for name, url in pages.items()}
    _grow(organisation, admin, space, 25)
    large = {name: _count(client, url) for name, url in pages.items()}
    for name in small:
        assert large[name] <= BUDGET, f"{name}: {large[name]} queries"
        assert large[name] == small[name], f"{name}: {small[name]} -> {large[name]} queries"
