"""Projects: proposing and approving, status moves, people and roles, needs and pledges,
updates that reach followers, linked discussions, and the pages that list them."""
import pytest
from django.core import mail
from django.urls import reverse

from community.engine import engagement
from community.models import EngagementEvent, Notification, Thread
from community.tasks import send_notification_emails
from purpose import services
from purpose.events import Notice
from purpose.models import Need, Pledge, Project, ProjectMember, StatusChange

from .. import factories
from ..conftest import links_in
from .conftest import png

pytestmark = pytest.mark.django_db


def _propose(client, **extra):
    data = {"title": "Open recipe book", "goal": "Fifty tested recipes.",
            "description": "Each brewed twice before it goes in.", **extra}
    return client.post(reverse("purpose:project_propose"), data)


def test_a_members_proposal_waits_for_a_host_who_approves_it(client_as, member, host,
                                                            other_member):
    client = client_as(member)
    response = _propose(client, cover=png(size=(2400, 1000), name="cover.gif"))
    project = Project.objects.get()
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    assert project.status == Project.Status.PROPOSED
    assert project.cover.name.startswith("projects/") and project.cover.name.endswith(".jpg")
    assert project.cover.width == 1600  # resized on the way in
    assert ProjectMember.objects.get(project=project).role == ProjectMember.Role.LEAD
    assert "waits for a host" in client.get(project.get_absolute_url()).content.decode()

    # Nobody else sees a proposal: not on the index, not by its address.
    client_as(other_member)
    assert client.get(project.get_absolute_url()).status_code == 404
    assert "Open recipe book" not in client.get(reverse("purpose:projects")).content.decode()

    # The proposer cannot approve it: a clear refusal, nothing changes.
    client_as(member)
    response = client.post(reverse("purpose:project_status", args=[project.slug]),
                           {"status": "open"})
    assert response.status_code == 403
    assert "cannot approve your own proposal" in response.content.decode()
    project.refresh_from_db()
    assert project.status == Project.Status.PROPOSED

    client_as(host)
    index = client.get(reverse("purpose:projects")).content.decode()
    assert "1 proposal waits for a host" in index
    client.post(reverse("purpose:project_status", args=[project.slug]), {"status": "open"})
    project.refresh_from_db()
    assert project.status == Project.Status.OPEN
    moves = list(StatusChange.objects.filter(project=project).values_list(
        "from_status", "to_status", "by"))
    assert moves == [("", "proposed", member.pk), ("proposed", "open", host.pk)]

    engagement.process_pending()
    notice = Notification.objects.get(recipient=member, kind=Notice.PROJECT)
    assert "was approved" in notice.message
    response = client_as(member).get(reverse("notification_open", args=[notice.pk]))
    assert response.url == project.get_absolute_url()


def test_hosts_open_projects_at_once_and_partners_are_credited(client_as, host, partner):
    _propose(client_as(host), title="Brew day at the farm")
    assert Project.objects.get(title="Brew day at the farm").status == Project.Status.OPEN
    _propose(client_as(partner), title="Hop growing how-tos")
    project = Project.objects.get(title="Hop growing how-tos")
    assert project.status == Project.Status.PROPOSED
    assert project.organisation == partner.partner_memberships.get().organisation


def test_bad_proposals_keep_what_was_typed(client_as, member):
    client = client_as(member)
    response = _propose(client, goal="  ", cover=factories_text_file())
    assert response.status_code == 400
    body = response.content.decode()
    assert "Say what the project will achieve." in body
    assert "web page or SVG code" in body
    assert "Each brewed twice before it goes in." in body
    assert not Project.objects.exists()


def factories_text_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("cover.png", b"<html><script>alert(1)</script></html>",
                              content_type="image/png")


def test_status_moves_follow_the_rules(client_as, project, lead, member):
    client = client_as(member)
    response = client.post(reverse("purpose:project_status", args=[project.slug]),
                           {"status": "building"})
    assert response.status_code == 403
    client_as(lead)
    client.post(reverse("purpose:project_status", args=[project.slug]),
                {"status": "building", "note": "Hops booked"})
    response = client.post(reverse("purpose:project_status", args=[project.slug]),
                           {"status": "proposed"}, follow=True)
    assert "cannot become proposed" in response.content.decode()
    project.refresh_from_db()
    assert project.status == Project.Status.BUILDING
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Open → Building" in page and "Hops booked" in page


def test_join_leave_and_roles(client_as, project, lead, member, other_member):
    client = client_as(member)
    client.post(reverse("purpose:project_join", args=[project.slug]))
    client.post(reverse("purpose:project_join", args=[project.slug]))  # twice: once
    project.refresh_from_db()
    assert project.member_count == 2
    assert project.follows.filter(user=member).exists()

    # A member cannot hand out roles; the lead can.
    url = reverse("purpose:project_role", args=[project.slug, member.username])
    assert client.post(url, {"role": "lead"}).status_code == 403
    client_as(lead)
    # The only lead cannot leave or step down.
    response = client.post(reverse("purpose:project_leave", args=[project.slug]), follow=True)
    assert "You are the only lead" in response.content.decode()
    client.post(url, {"role": "lead"})
    assert ProjectMember.objects.get(project=project, user=member).role == "lead"
    client.post(reverse("purpose:project_leave", args=[project.slug]))
    project.refresh_from_db()
    assert project.member_count == 1
    assert not ProjectMember.objects.filter(project=project, user=lead).exists()

    # A done project takes nobody new.
    services.project_status_set(actor=member, project=project, to_status="done")
    response = client_as(other_member).post(reverse("purpose:project_join",
                                                    args=[project.slug]))
    assert response.status_code == 403
    assert "takes no new people" in response.content.decode()


def test_needs_and_pledges_count_what_is_missing(client_as, project, lead, member,
                                                 other_member):
    client = client_as(lead)
    client.post(reverse("purpose:need_add", args=[project.slug]),
                {"kind": "tool", "name": "30L kettles", "wanted": "3"})
    response = client.post(reverse("purpose:need_add", args=[project.slug]),
                           {"kind": "tool", "name": "30L kettles", "wanted": "1"})
    assert response.status_code == 400
    assert "already on the list" in response.content.decode()
    need = Need.objects.get()

    pledge_url = reverse("purpose:need_pledge", args=[project.slug, need.pk])
    client_as(member).post(pledge_url, {"quantity": "2", "note": "Both clean"})
    response = client_as(other_member).post(pledge_url, {"quantity": "2"}, follow=True)
    assert "Only 1 still missing" in response.content.decode()
    client.post(pledge_url, {"quantity": "1"})
    need.refresh_from_db()
    assert (need.pledged, need.missing) == (3, 0)
    page = client.get(project.get_absolute_url()).content.decode()
    assert "3 of 3 pledged" in page and "covered" in page

    client_as(member).post(pledge_url, {"withdraw": "1"})
    need.refresh_from_db()
    assert (need.pledged, need.missing) == (1, 2)

    services.project_status_set(actor=lead, project=project, to_status="done")
    response = client_as(member).post(pledge_url, {"quantity": "1"}, follow=True)
    assert "takes no more pledges" in response.content.decode()
    assert Pledge.objects.filter(need=need).count() == 1


def test_updates_reach_followers_by_notice_and_email(client_as, project, lead, member,
                                                     other_member, settings):
    client_as(member).post(reverse("purpose:project_follow", args=[project.slug]),
                           {"follow": "1"})
    client_as(lead).post(reverse("purpose:project_update", args=[project.slug]),
                         {"body": "Hops arrive **Friday**.", "nonce": "n1"})
    engagement.process_pending()
    send_notification_emails()
    updates = Notification.objects.filter(kind="project", message__contains="posted an update")
    assert list(updates.values_list("recipient", flat=True)) == [member.pk]  # not the author
    assert not Notification.objects.filter(recipient=other_member).exists()
    message = next(m for m in mail.outbox if member.email in m.to)
    assert "posted an update" in message.body
    assert any("/unsubscribe/" in link for link in links_in(message))
    assert message.extra_headers["List-Unsubscribe"]
    page = client_as(other_member).get(project.get_absolute_url()).content.decode()
    assert "<strong>Friday</strong>" in page


def test_members_cannot_post_updates(client_as, project, member):
    response = client_as(member).post(reverse("purpose:project_update", args=[project.slug]),
                                      {"body": "Fake news", "nonce": "n2"})
    assert response.status_code == 403
    assert not project.updates.exists()


def test_a_discussion_started_from_the_project_is_linked_to_it(client_as, project, member):
    client = client_as(member)
    response = client.post(reverse("purpose:project_discuss", args=[project.slug]),
                           {"title": "Which yeast for the harvest ale?", "body": "US-05?",
                            "nonce": "d1"})
    thread = Thread.objects.get(title="Which yeast for the harvest ale?")
    assert response.url == thread.get_absolute_url()
    assert thread.space == project.space
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Which yeast for the harvest ale?" in page


def test_index_filters_sorts_pages_and_shows_empty_states(client, lead, host):
    assert "No projects here yet" in client.get(reverse("purpose:projects")).content.decode()
    made = []
    for n in range(23):
        made.append(services.project_propose(author=host, title=f"Project {n:02}",
                                             goal="Build it", description="Together"))
    services.project_status_set(actor=host, project=made[0], to_status="done")
    services.project_join(user=lead, project=made[5])

    page1 = client.get(reverse("purpose:projects")).content.decode()
    assert "Project 00" in page1 and "page=2" in page1  # touched last: most recent activity
    page2 = client.get(reverse("purpose:projects") + "?page=2").content.decode()
    assert page2.count('class="card project-card"') == 3
    done = client.get(reverse("purpose:projects") + "?status=done").content.decode()
    assert done.count('class="card project-card"') == 1
    people = client.get(reverse("purpose:projects") + "?sort=people").content.decode()
    first_card = people[people.index('class="card project-card"'):]
    assert first_card.index("Project 05") < first_card.index("</li>")
    # Proposals are the hosts' to see; an unknown filter shows the default list.
    assert client.get(reverse("purpose:projects") + "?status=proposed&page=999999999"
                      ).status_code == 200


def test_my_projects_lists_what_i_am_in(client_as, project, member):
    client = client_as(member)
    assert "You have not joined a project yet" in client.get(
        reverse("purpose:my_projects")).content.decode()
    services.project_join(user=member, project=project)
    page = client.get(reverse("purpose:my_projects")).content.decode()
    assert project.title in page and "Contributor" in page


def test_project_work_counts_as_collaboration_and_shows_in_the_engagement_mix(
        client_as, project, lead, member, host):
    need = services.need_add(actor=lead, project=project, kind="skill", name="Mentors",
                             wanted=2)
    services.project_join(user=member, project=project)
    services.pledge_set(user=member, need=need, quantity=1)
    engagement.process_pending()
    member.refresh_from_db()
    assert member.collaboration == 2.0  # joined + pledged
    assert member.engagement >= member.collaboration
    kinds = set(EngagementEvent.objects.values_list("kind", flat=True))
    assert {"project_proposed", "project_joined", "pledged", "project_status"} <= kinds

    page = client_as(host).get(reverse("host_dashboard")).content.decode()
    assert "Engagement mix" in page
    mix = page[page.index("Engagement mix"):]
    assert "<th scope=\"row\">Collaboration</th><td>2</td>" in mix  # join and pledge
    csv = client_as(host).get(reverse("host_dashboard_csv")).content.decode()
    assert "engagement_mix,collaboration,2" in csv


def test_rescoring_everything_gives_the_same_project_scores(project, lead, member):
    from community.engine import scoring

    services.project_join(user=member, project=project)
    engagement.process_pending()
    member.refresh_from_db()
    before = (member.collaboration, member.contribution, member.engagement)
    scoring.rescore_members()
    member.refresh_from_db()
    assert (member.collaboration, member.contribution, member.engagement) == before


def test_unknown_project_and_need_are_404(client_as, project, member):
    client = client_as(member)
    assert client.get(reverse("purpose:project", args=["nope"])).status_code == 404
    other = services.project_propose(author=factories.HostFactory(), title="Other",
                                     goal="g", description="d")
    need = services.need_add(actor=other.proposed_by, project=other, kind="tool", name="Pots",
                             wanted=1)
    # A need of another project through this project's address: not found.
    response = client.post(reverse("purpose:need_pledge", args=[project.slug, need.pk]),
                           {"quantity": "1"})
    assert response.status_code == 404


def test_a_follower_can_take_project_news_on_the_site_only(client_as, project, lead, member):
    from community.services.users import notice_settings_save

    page = client_as(member).get(reverse("notification_settings")).content.decode()
    assert "News from a project you follow: by email" in page  # its own row
    notice_settings_save(actor=member, rows={Notice.PROJECT: {"email": False}})
    client_as(member).post(reverse("purpose:project_follow", args=[project.slug]),
                           {"follow": "1"})
    client_as(lead).post(reverse("purpose:project_update", args=[project.slug]),
                         {"body": "Hops arrive Friday.", "nonce": "n1"})
    engagement.process_pending()
    send_notification_emails()
    assert Notification.objects.filter(recipient=member, kind="project", on_site=True).exists()
    assert not [m for m in mail.outbox if member.email in m.to]
