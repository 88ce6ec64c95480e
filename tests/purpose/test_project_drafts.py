"""Drafts on project pages: a project update, a new contribution, an edit of one and a
project discussion are kept as the member types, come back when they return (with "you have
an unsent ..." on the project page), go when posted, and are refused (403) to a member who
may not write there."""
import pytest
from django.urls import reverse

from community.models import Draft, Thread
from purpose import services
from purpose.models import Contribution, Project, ProjectUpdate

pytestmark = pytest.mark.django_db


def _save(client, place, body, **extra):
    return client.post(reverse("draft_save"), {"place": place, "body": body, **extra},
                       HTTP_HX_REQUEST="true")


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_project_update_draft_is_kept_restored_and_goes_when_posted(client_as, lead,
                                                                     project):
    client = client_as(lead)
    place = f"update:{project.pk}"
    assert "Draft saved" in _save(client, place, "Hops arrive on Fri").content.decode()
    page = _page(client, project.get_absolute_url())
    assert "You have an unsent update on this project." in page
    assert "Hops arrive on Fri</textarea>" in page
    assert f'data-draft-place="{place}"' in page
    response = client.post(reverse("purpose:project_update", args=[project.slug]),
                           {"body": "Hops arrive on Friday.", "nonce": "u1"})
    assert response.status_code == 302 and ProjectUpdate.objects.filter(project=project).exists()
    assert not Draft.objects.filter(member=lead).exists()
    assert "You have an unsent update" not in _page(client, project.get_absolute_url())


def test_only_leads_and_hosts_keep_an_update_draft(client_as, member, project):
    response = _save(client_as(member), f"update:{project.pk}", "Fake news")
    assert response.status_code == 403
    assert "Only the project&#x27;s leads" in response.content.decode()
    assert _save(client_as(member), "update:999999", "Nowhere").status_code == 404
    assert not Draft.objects.exists()
    # A member sees no update box, so no draft notice either.
    assert "unsent update" not in _page(client_as(member), project.get_absolute_url())


def test_a_contribution_draft_keeps_its_title_and_goes_when_submitted(client_as, member,
                                                                     project):
    client = client_as(member)
    place = f"contribute:{project.pk}"
    _save(client, place, "Number every bottle by kitchen", title="Numbered bottles")
    page = _page(client, project.get_absolute_url())
    assert "You have an unsent contribution to this project." in page
    assert reverse("purpose:contribute", args=[project.slug]) in page
    form = _page(client, reverse("purpose:contribute", args=[project.slug]))
    assert 'value="Numbered bottles"' in form
    assert "Number every bottle by kitchen</textarea>" in form
    assert "Your unsent draft is back" in form and f'data-draft-place="{place}"' in form
    response = client.post(reverse("purpose:contribute", args=[project.slug]), {
        "kind": "idea", "title": "Numbered bottles", "body": "Number every bottle.",
        "nonce": "c1"})
    assert response.status_code == 302 and Contribution.objects.filter(project=project).exists()
    assert not Draft.objects.filter(member=member).exists()
    assert "unsent contribution" not in _page(client, project.get_absolute_url())


def test_no_contribution_draft_where_contributions_are_closed(client_as, member, host,
                                                             project):
    services.project_status_set(actor=host, project=project, to_status=Project.Status.DONE)
    response = _save(client_as(member), f"contribute:{project.pk}", "Late idea")
    assert response.status_code == 403 and "takes no contributions" in response.content.decode()
    assert not Draft.objects.exists()


def test_an_edit_draft_of_a_contribution_is_its_authors_alone(client_as, member, other_member,
                                                             project):
    contribution = services.contribution_submit(author=member, project=project, kind="idea",
                                                title="Numbered bottles", body="By kitchen.")
    place = f"contribution:{contribution.pk}"
    assert _save(client_as(other_member), place, "Hijack").status_code == 403
    client = client_as(member)
    _save(client, place, "By kitchen, then by street.", title="Numbered bottles, twice")
    url = reverse("purpose:contribution_edit", args=[contribution.pk])
    form = _page(client, url)
    assert 'value="Numbered bottles, twice"' in form
    assert "By kitchen, then by street.</textarea>" in form
    response = client.post(url, {"title": "Numbered bottles, twice",
                                 "body": "By kitchen, then by street."})
    assert response.status_code == 302
    assert not Draft.objects.exists()
    contribution.refresh_from_db()
    assert contribution.title == "Numbered bottles, twice"


def test_a_project_discussion_draft_comes_back_and_goes_when_started(client_as, member,
                                                                    project):
    client = client_as(member)
    place = f"discuss:{project.pk}"
    _save(client, place, "US-05 or a Belgian strain?", title="Which yeast for the ale?")
    assert "You have an unsent discussion" in _page(client, project.get_absolute_url())
    form = _page(client, reverse("purpose:project_discuss", args=[project.slug]))
    assert 'value="Which yeast for the ale?"' in form
    assert "US-05 or a Belgian strain?</textarea>" in form
    _save(client, "ask:discussion", "A general discussion I am writing")
    response = client.post(reverse("purpose:project_discuss", args=[project.slug]), {
        "title": "Which yeast for the harvest ale?", "body": "US-05?", "nonce": "d1"})
    assert response.status_code == 302
    assert Thread.objects.filter(title="Which yeast for the harvest ale?").exists()
    # The project's draft went with it; the member's other discussion draft stays.
    assert list(Draft.objects.filter(member=member).values_list("place", flat=True)) == [
        "ask:discussion"]


def test_a_suspended_member_keeps_no_project_drafts(client_as, member, host, project):
    from datetime import timedelta

    from django.utils import timezone

    from community.services import moderation

    moderation.suspend(actor=host, user=member, reason="Spam",
                       ends_at=timezone.now() + timedelta(days=2))
    for place in (f"discuss:{project.pk}", f"contribute:{project.pk}"):
        response = _save(client_as(member), place, "x")
        assert response.status_code == 403 and "suspended" in response.content.decode()
    assert not Draft.objects.exists()


def test_the_project_page_holding_drafts_keeps_its_query_budget(client_as, lead, project):
    from .. import budgets

    client = client_as(lead)
    without = budgets.queries(client, project.get_absolute_url())
    _save(client, f"update:{project.pk}", "Half an update")
    _save(client, f"contribute:{project.pk}", "Half an idea", title="Idea")
    holding = budgets.queries(client, project.get_absolute_url())
    assert holding <= without + 1, (without, holding)
