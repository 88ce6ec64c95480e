"""Project pages cost the same number of queries with 2 projects or 30, 2 people or 60."""
import pytest
from django.urls import reverse

from purpose import services

from .. import budgets, factories

pytestmark = pytest.mark.django_db



def _grow(project, lead, host, n: int) -> None:
    need = services.need_add(actor=lead, project=project, kind="material",
                             name=f"Hops batch {project.needs.count()}", wanted=10 * n)
    for i in range(n):
        person = factories.UserFactory()
        services.project_join(user=person, project=project)
        services.pledge_set(user=person, need=need, quantity=1)
        idea = services.contribution_submit(author=person, project=project, kind="idea",
                                            title=f"Idea {i} of {n}", body="Try it")
        services.contribution_vote(voter=lead, contribution=idea)
        services.update_post(actor=lead, project=project, body=f"Update {i}")
    for i in range(n):
        services.project_propose(author=host, title=f"Side project {n}-{i}", goal="g",
                                 description="d")



@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_project_pages_cost_the_same_at_two_sizes(client, project, lead, host, member,
                                                  viewer):
    if viewer == "member":
        services.project_join(user=member, project=project)
        client.force_login(member)
    contribution = services.contribution_submit(author=lead, project=project, kind="idea",
                                                title="The first idea", body="Go")
    pages = {
        "projects": reverse("purpose:projects"),
        "project": project.get_absolute_url(),
        "contribution": contribution.get_absolute_url(),
        "contributions": reverse("purpose:project_contributions", args=[project.slug]),
        "purpose": reverse("purpose:purpose"),
        "profile": reverse("profile", args=[lead.username]),
    }
    _grow(project, lead, host, 2)
    small = {name: budgets.queries(client, url) for name, url in pages.items()}
    _grow(project, lead, host, 30)
    large = {name: budgets.queries(client, url) for name, url in pages.items()}
    budgets.assert_flat(small, large)
