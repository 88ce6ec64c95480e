"""Contributions: ideas, designs (checked images) and how-tos; one vote per member until the
lead's closing date; winners picked by the vote, confirmed by a host, credited."""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from community.engine import engagement
from community.models import Notification
from purpose import services
from purpose.models import Contribution, ContributionVote, Project

from .. import factories
from .conftest import png

pytestmark = pytest.mark.django_db


def _submit(client, project, follow=False, **data):
    return client.post(reverse("purpose:contribute", args=[project.slug]),
                       {"kind": "idea", "title": "Number every bottle",
                        "body": "By kitchen.", **data}, follow=follow)


def _close_voting(project):
    Project.objects.filter(pk=project.pk).update(
        voting_closes_at=timezone.now() - timedelta(minutes=1))
    project.refresh_from_db()


def test_a_design_is_an_image_checked_resized_and_renamed(client_as, project, member):
    client = client_as(member)
    response = _submit(client, project, kind="design", title="Golden label", body="",
                       image=png(size=(3000, 2000), name="../../evil name.png"))
    contribution = Contribution.objects.get()
    assert response.url == contribution.get_absolute_url()
    name = contribution.image.name
    assert name.startswith("designs/") and "evil" not in name
    with Image.open(contribution.image.path) as stored:
        assert max(stored.size) == 1600 and not stored.info.get("exif")
    page = client.get(contribution.get_absolute_url()).content.decode()
    assert contribution.image.url in page and "Golden label" in page


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("design.png", b"<html><body>not an image</body></html>",
                        content_type="image/png"), "web page or SVG code"),
    (SimpleUploadedFile("design.svg", b'<svg xmlns="http://www.w3.org/2000/svg" '
                        b'onload="alert(1)"/>', content_type="image/svg+xml"),
     "web page or SVG code"),
    (None, "A design needs an image."),
])
def test_a_design_that_is_not_an_image_is_refused_and_the_text_stays(client_as, project,
                                                                     member, upload, message):
    data = {"kind": "design", "title": "Forty kettles", "body": "My notes on it"}
    if upload is not None:
        data["image"] = upload
    response = _submit(client_as(member), project, **data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and "Forty kettles" in body and "My notes on it" in body
    assert not Contribution.objects.exists()


def test_only_the_author_edits_a_contribution(client_as, project, member, other_member):
    contribution = services.contribution_submit(author=member, project=project, kind="idea",
                                                title="Numbered bottles", body="By kitchen")
    url = reverse("purpose:contribution_edit", args=[contribution.pk])
    response = client_as(other_member).post(url, {"title": "Hijacked", "body": "Mine"})
    assert response.status_code == 403
    assert "Only its author" in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.title == "Numbered bottles"
    client_as(member).post(url, {"title": "Numbered bottles, by town", "body": "Better"})
    contribution.refresh_from_db()
    assert contribution.title == "Numbered bottles, by town" and contribution.updated_at


def test_one_vote_per_member_never_your_own_and_not_after_closing(client_as, project, lead,
                                                                  member, other_member):
    contribution = services.contribution_submit(author=member, project=project, kind="idea",
                                                title="Numbered bottles", body="By kitchen")
    vote = reverse("purpose:contribution_vote", args=[contribution.pk])
    client = client_as(other_member)
    client.post(vote)
    response = client.post(vote, follow=True)
    assert "already voted" in response.content.decode()
    response = client_as(member).post(vote, follow=True)
    assert "cannot vote for your own" in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.vote_count == 1 == ContributionVote.objects.count()

    # The lead sets the closing date; a date in the past is refused with a message.
    client = client_as(lead)
    response = client.post(reverse("purpose:project_voting", args=[project.slug]),
                           {"closes_at": "2001-01-01T10:00"})
    assert response.status_code == 400
    assert "Choose a closing date in the future." in response.content.decode()
    _close_voting(project)
    response = client.post(vote, follow=True)
    assert "Voting closed on" in response.content.decode()
    response = client_as(other_member).post(vote, {"withdraw": "1"}, follow=True)
    assert "Voting closed on" in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.vote_count == 1
    # ...and no new contributions either.
    response = _submit(client_as(other_member), project, follow=True)
    assert "Voting on this project has closed" in response.content.decode()


def test_the_vote_picks_the_winner_a_host_confirms_it_and_it_is_credited(
        client_as, project, lead, member, other_member, host):
    best = services.contribution_submit(author=member, project=project, kind="design",
                                        title="Golden field", image=png())
    runner_up = services.contribution_submit(author=other_member, project=project,
                                             kind="idea", title="Forty kettles", body="x")
    voters = [factories.UserFactory() for _ in range(3)]
    for voter in voters:
        services.contribution_vote(voter=voter, contribution=best)
    services.contribution_vote(voter=voters[0], contribution=runner_up)

    # Results are shown ranked.
    page = client_as(lead).get(reverse("purpose:project_contributions",
                                       args=[project.slug])).content.decode()
    assert page.index("Golden field") < page.index("Forty kettles")

    confirm = reverse("purpose:contribution_confirm", args=[best.pk])
    response = client_as(host).post(confirm, follow=True)
    assert "Voting is still open" in response.content.decode()
    _close_voting(project)
    assert client_as(member).post(confirm).status_code == 403  # members do not confirm
    response = client_as(host).post(reverse("purpose:contribution_confirm",
                                            args=[runner_up.pk]), follow=True)
    assert "The vote decides" in response.content.decode()
    client_as(host).post(confirm)
    best.refresh_from_db()
    runner_up.refresh_from_db()
    assert best.is_winner and best.confirmed_by == host and not runner_up.is_winner

    project_page = client_as(other_member).get(project.get_absolute_url()).content.decode()
    assert "Chosen by the community" in project_page and "Golden field" in project_page
    profile = client_as(other_member).get(reverse("profile", args=[member.username]))
    assert "Winner" in profile.content.decode() and "Golden field" in profile.content.decode()

    engagement.process_pending()
    member.refresh_from_db()
    assert member.contribution == 2.0 + 10.0  # submitted, won
    assert Notification.objects.filter(recipient=member, kind="project",
                                       message__contains="won the community vote").exists()
    # A winner stays as voted for.
    response = client_as(member).get(reverse("purpose:contribution_edit", args=[best.pk]),
                                     follow=True)
    assert "stays as the community voted" in response.content.decode()


def test_contributing_to_a_done_project_is_refused_with_a_message(client_as, project, lead,
                                                                 member):
    services.project_status_set(actor=lead, project=project, to_status="done")
    response = _submit(client_as(member), project, follow=True)
    assert "it takes no contributions" in response.content.decode()
    assert not Contribution.objects.exists()


def test_a_contribution_is_frozen_once_its_vote_has_closed(client_as, project, member,
                                                           other_member):
    contribution = services.contribution_submit(author=member, project=project, kind="idea",
                                                title="Numbered bottles", body="By kitchen")
    services.contribution_vote(voter=other_member, contribution=contribution)
    _close_voting(project)
    client = client_as(member)
    page = client.get(contribution.get_absolute_url()).content.decode()
    edit_url = reverse("purpose:contribution_edit", args=[contribution.pk])
    assert edit_url not in page  # no Edit link once the vote is over

    assert client.get(edit_url).status_code == 403
    response = client.post(edit_url, {"title": "Something else entirely", "body": "Swapped"})
    assert response.status_code == 403
    assert "Voting on this project is over" in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.title == "Numbered bottles" and contribution.body == "By kitchen"
    assert contribution.vote_count == 1
