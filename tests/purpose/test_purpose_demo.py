"""The demo community has a purpose and two believable projects with contributions and votes."""
import pytest
from django.core.management import call_command
from django.urls import reverse

from purpose.models import (
    Contribution,
    ContributionVote,
    Pledge,
    Project,
    ProjectMoment,
    PurposeRevision,
)

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_the_purpose_and_two_projects_once(client):
    call_command("seed_demo", "--allow-production", "--quiet-progress", verbosity=0)
    counts = (PurposeRevision.objects.count(), Project.objects.count(),
              Contribution.objects.count(), ContributionVote.objects.count())
    call_command("seed_demo", "--allow-production", "--quiet-progress", verbosity=0)
    assert counts == (PurposeRevision.objects.count(), Project.objects.count(),
                      Contribution.objects.count(), ContributionVote.objects.count())

    assert PurposeRevision.objects.count() == 1
    harvest, book = Project.objects.order_by("created_at")
    assert harvest.status == Project.Status.BUILDING and book.status == Project.Status.OPEN
    assert harvest.contributions.filter(kind="design").exclude(image="").count() == 2
    winner = harvest.contributions.get(is_winner=True)
    assert winner.vote_count == max(harvest.contributions.values_list("vote_count", flat=True))
    assert book.status_changes.filter(from_status="proposed", to_status="open").exists()
    assert ContributionVote.objects.count() >= 10 and Pledge.objects.count() >= 8

    home = client.get(reverse("home")).content.decode()
    assert "every customer is a brewer" in home
    page = client.get(harvest.get_absolute_url()).content.decode()
    assert "Chosen by the community" in page and "still missing" in page
    # The running moment is part of the harvest ale, once, and both pages say so.
    tie = ProjectMoment.objects.get()
    assert tie.project == harvest and tie.moment.title in page
    moment = client.get(tie.moment.get_absolute_url()).content.decode()
    assert f"Part of the project <a href=\"{harvest.get_absolute_url()}\">" in moment
