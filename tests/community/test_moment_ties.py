"""A host ties a moment to a project or a partner: the moment's page says what it is part
of, the project's and the partner's pages list it, at once for every reader (caches on),
and the tie can be changed and removed. The tie is purpose's or partners' (their rows, their
events); community offers it through ``community.moment_ties``."""
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community import moment_ties
from community.models import EngagementEvent, Moment
from community.pages import HEADER
from community.services import moments
from partners.models import OrganisationMoment
from purpose import services as purpose_services
from purpose.models import Project, ProjectMoment

from .. import budgets, factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def space():
    return factories.SpaceFactory(name="Brewing")


@pytest.fixture
def moment(host, space):
    now = timezone.now()
    return moments.moment_create(
        host=host, space=space, title="Show us your brew day",
        brief="Your mash, your boil, your mess.", opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7), answer=Moment.Answer.BOTH)


@pytest.fixture
def organisation():
    return factories.OrganisationFactory(name="Northfield Hop Farm")


@pytest.fixture
def project(host, space, organisation):
    lead = factories.UserFactory(display_name="Lena Lead")
    made = purpose_services.project_propose(author=lead, title="Community harvest ale",
                                            goal="Forty kitchens brew one recipe.",
                                            description="Same hops.", space=space)
    purpose_services.project_status_set(actor=host, project=made, to_status="open")
    Project.objects.filter(pk=made.pk).update(organisation=organisation)
    made.refresh_from_db()
    return made


def _readers(host, member):
    visitor, as_member, as_host = Client(), Client(), Client()
    as_member.force_login(member)
    as_host.force_login(host)
    return visitor, as_member, as_host


def _pages(readers, *urls):
    return {url: [c.get(url).content.decode() for c in readers] for url in urls}


def test_the_form_offers_projects_and_partners_and_a_new_moment_is_tied(
        client_as, host, space, project, organisation):
    factories.OrganisationFactory(name="Still Applying Ltd", status="applied")
    proposed = purpose_services.project_propose(author=factories.UserFactory(),
                                                title="Not open yet", goal="g",
                                                description="d")
    client = client_as(host)
    form = client.get(reverse("moment_create")).content.decode()
    assert "Tie to a project or partner" in form
    assert f'value="project:{project.pk}"' in form and "Community harvest ale" in form
    assert f'value="partner:{organisation.pk}"' in form
    assert "Still Applying Ltd" not in form and f"project:{proposed.pk}" not in form
    response = client.post(reverse("moment_create"), {
        "title": "Harvest day photos", "brief": "Show the hops.", "space": space.pk,
        "answer": "photo", "opens_at": "2030-05-01T10:00", "closes_at": "2030-05-09T10:00",
        "tie": f"project:{project.pk}"})
    made = Moment.objects.get()
    assert response.status_code == 302
    assert ProjectMoment.objects.get().moment == made
    event = EngagementEvent.objects.get(kind="project_moment")
    assert event.thread_id == made.thread_id and event.payload["tied"] is True
    assert event.payload["project"] == project.pk


def test_a_tie_to_something_not_offered_is_a_form_error(client_as, host, space, project):
    proposed = purpose_services.project_propose(author=factories.UserFactory(),
                                                title="Not open yet", goal="g",
                                                description="d")
    client = client_as(host)
    for value in (f"project:{proposed.pk}", "project:999999", "elsewhere:1", "project:x"):
        response = client.post(reverse("moment_create"), {
            "title": "Harvest day photos", "brief": "Typed brief", "space": space.pk,
            "answer": "photo", "opens_at": "2030-05-01T10:00",
            "closes_at": "2030-05-09T10:00", "tie": value})
        assert response.status_code == 400, value
        assert "Typed brief" in response.content.decode()
    assert not Moment.objects.exists() and not ProjectMoment.objects.exists()


def test_only_hosts_tie(member, moment, project):
    with pytest.raises(PermissionDenied):
        moments.moment_tie_set(host=member, moment=moment, tie=f"project:{project.pk}")
    with pytest.raises(ValidationError):
        moments.moment_tie_set(host=moment.created_by, moment=moment, tie="nothing:1")
    assert not ProjectMoment.objects.exists()


def test_a_project_tie_shows_on_all_three_pages_at_once_and_goes_when_untied(
        client_as, host, member, moment, project, organisation):
    readers = _readers(host, member)
    urls = (moment.get_absolute_url(), project.get_absolute_url(),
            organisation.get_absolute_url())
    assert readers[0].get(urls[0])[HEADER] == "miss"
    assert readers[0].get(urls[0])[HEADER] == "hit"  # the visitor's page is kept
    before = _pages(readers, *urls)
    assert all("Part of the project" not in page for page in before[urls[0]])
    assert all(moment.title not in page for page in before[urls[1]] + before[urls[2]])

    # The tie alone (no other change to the moment): its own event makes the pages stale.
    assert moments.moment_tie_set(host=host, moment=moment, tie=f"project:{project.pk}")
    tied = _pages(readers, *urls)
    line = (f'Part of the project <a href="{project.get_absolute_url()}">'
            "Community harvest ale</a>")
    assert all(line in page for page in tied[urls[0]])
    link = f'<a href="{moment.get_absolute_url()}">{moment.title}</a>'
    assert all(link in page for page in tied[urls[1]])  # the project lists it
    assert all(link in page for page in tied[urls[2]])  # and its partner
    # Renaming the project renames the moment page's line for every reader.
    purpose_services.project_edit(actor=host, project=project, title="Harvest ale 2030",
                                  goal=project.goal, description=project.description)
    assert all("Harvest ale 2030</a>" in page
               for page in _pages(readers, urls[0])[urls[0]])

    # Untied: gone from all three at once, and recorded.
    assert moments.moment_tie_set(host=host, moment=moment, tie="")
    untied = _pages(readers, *urls)
    assert all("Part of the project" not in page for page in untied[urls[0]])
    assert all(link not in page for page in untied[urls[1]] + untied[urls[2]])
    assert not ProjectMoment.objects.exists()
    assert list(EngagementEvent.objects.filter(kind="project_moment").order_by("pk")
                .values_list("payload__tied", flat=True)) == [True, False]


def test_a_partner_tie_shows_on_the_moment_and_partner_pages_at_once(
        host, member, moment, organisation):
    readers = _readers(host, member)
    urls = (moment.get_absolute_url(), organisation.get_absolute_url())
    readers[0].get(urls[0])
    assert readers[0].get(urls[0])[HEADER] == "hit"
    assert moments.moment_tie_set(host=host, moment=moment, tie=f"partner:{organisation.pk}")
    tied = _pages(readers, *urls)
    line = (f'With our partner <a href="{organisation.get_absolute_url()}">'
            "Northfield Hop Farm</a>")
    assert all(line in page for page in tied[urls[0]])
    assert all(f'<a href="{moment.get_absolute_url()}">' in page for page in tied[urls[1]])
    event = EngagementEvent.objects.get(kind="organisation_moment")
    assert event.payload == {"organisation": organisation.pk, "moment": moment.pk,
                             "tied": True}
    assert moments.moment_tie_set(host=host, moment=moment, tie="")
    untied = _pages(readers, *urls)
    assert all("With our partner" not in page for page in untied[urls[0]])
    assert all(f'<a href="{moment.get_absolute_url()}">' not in page
               for page in untied[urls[1]])


def test_the_edit_form_shows_the_tie_and_unties(client_as, host, moment, project):
    moments.moment_tie_set(host=host, moment=moment, tie=f"project:{project.pk}")
    client = client_as(host)
    edit = client.get(reverse("moment_edit", args=[moment.pk])).content.decode()
    assert f'value="project:{project.pk}" selected' in edit
    response = client.post(reverse("moment_edit", args=[moment.pk]), {
        "title": moment.title, "brief": moment.brief, "answer": moment.answer,
        "opens_at": moment.opens_at.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": moment.closes_at.strftime("%Y-%m-%dT%H:%M"), "tie": ""})
    assert response.status_code == 302
    assert not ProjectMoment.objects.exists()
    page = client_as(None).get(moment.get_absolute_url()).content.decode()
    assert "Part of the project" not in page


def test_a_moment_has_one_tie_and_a_repeat_changes_nothing(host, moment, project,
                                                          organisation):
    assert moments.moment_tie_set(host=host, moment=moment, tie=f"project:{project.pk}")
    assert not moments.moment_tie_set(host=host, moment=moment, tie=f"project:{project.pk}")
    assert moments.moment_tie_set(host=host, moment=moment, tie=f"partner:{organisation.pk}")
    assert not ProjectMoment.objects.exists()
    assert OrganisationMoment.objects.get().moment == moment
    assert [t.value for t in moment_ties.ties(moment)] == [f"partner:{organisation.pk}"]
    kinds = list(EngagementEvent.objects.filter(kind__in=["project_moment",
                                                          "organisation_moment"])
                 .order_by("pk").values_list("kind", "payload__tied"))
    assert kinds == [("project_moment", True), ("project_moment", False),
                     ("organisation_moment", True)]
    assert not moments.moment_tie_set(host=host, moment=moment,
                                      tie=f"partner:{organisation.pk}")


def test_an_archived_project_stays_offered_while_tied(host, moment, project):
    moments.moment_tie_set(host=host, moment=moment, tie=f"project:{project.pk}")
    Project.objects.filter(pk=project.pk).update(status=Project.Status.ARCHIVED)
    offered = dict(moment_ties.choices(moment))
    assert (f"project:{project.pk}", project.title) in offered["Projects"]
    assert "Projects" not in dict(moment_ties.choices(None))


def test_the_pages_keep_their_query_budgets_with_ties(client, client_as, host, space,
                                                     project, organisation):
    def grow(n):
        now = timezone.now()
        for i in range(n):
            made = moments.moment_create(
                host=host, space=space, title=f"Moment {Moment.objects.count()}",
                brief="b", opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=2))
            moments.moment_tie_set(host=host, moment=made, tie=f"project:{project.pk}"
                                   if i % 2 else f"partner:{organisation.pk}")

    grow(2)
    first = Moment.objects.order_by("pk").first()
    member = factories.UserFactory()
    urls = {"moment": first.get_absolute_url(), "project": project.get_absolute_url(),
            "partner": organisation.get_absolute_url()}
    small = {name: budgets.queries(client_as(member), url) for name, url in urls.items()}
    grow(20)
    large = {name: budgets.queries(client_as(member), url) for name, url in urls.items()}
    budgets.assert_flat(small, large)
