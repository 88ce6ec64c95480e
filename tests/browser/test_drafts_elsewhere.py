"""The composer keeps drafts on project and partner pages too: a member starts a
contribution, leaves, is told on the project page, finds it back and submits it; a lead's
update comes back in its box; a partner's content draft comes back on the publish page."""
from community.models import Draft
from purpose import services
from purpose.models import Project
from tests import factories

from .conftest import log_in, only_own_host, signed_in_tab


def _project(lead, host):
    space = factories.SpaceFactory(name="Brew club")
    project = services.project_propose(author=lead, title="Label for the harvest ale",
                                       goal="One label.", description="Designs.", space=space)
    services.project_status_set(actor=host, project=project, to_status=Project.Status.OPEN)
    return project


def test_a_contribution_draft_is_kept_found_and_sent(page, live_server):
    member = factories.UserFactory(display_name="Bo Builder")
    project = _project(factories.UserFactory(), factories.HostFactory())
    log_in(page, member)
    page.goto(project.get_absolute_url())
    page.get_by_role("link", name="Submit a contribution").click()
    page.get_by_label("Title").fill("Numbered bottles")
    page.get_by_label("Description").fill("Number every bottle by kitchen.")
    page.get_by_text("Draft saved at").wait_for()  # a moment after typing stops
    page.goto(project.get_absolute_url())
    page.get_by_text("You have an unsent contribution to this project.").wait_for()
    page.get_by_role("link", name="Carry on with it").click()
    page.get_by_text("Your unsent draft is back").wait_for()
    assert page.get_by_label("Title").input_value() == "Numbered bottles"
    assert page.get_by_label("Description").input_value() == "Number every bottle by kitchen."
    page.get_by_role("button", name="Submit contribution").click()
    page.get_by_text("Your contribution is in.").wait_for()
    assert not Draft.objects.filter(member=member).exists()
    page.goto(project.get_absolute_url())
    assert page.get_by_text("You have an unsent contribution").count() == 0
    only_own_host(page, live_server)


def test_a_leads_update_and_a_partners_content_come_back(page, live_server, browser):
    lead = factories.UserFactory(display_name="Lena Lead")
    project = _project(lead, factories.HostFactory())
    log_in(page, lead)
    page.goto(project.get_absolute_url())
    page.get_by_role("textbox", name="Update:").fill("Hops arrive on Friday.")
    page.get_by_text("Draft saved at").wait_for()
    page.goto("/")
    page.goto(project.get_absolute_url())
    page.get_by_text("You have an unsent update on this project.").wait_for()
    assert page.get_by_role("textbox", name="Update:").input_value() == "Hops arrive on Friday."

    organisation = factories.OrganisationFactory(name="Northfield Hop Farm")
    partner = factories.PartnerFactory(organisation=organisation, display_name="Pia Partner")
    tab = signed_in_tab(browser, live_server, partner)
    tab.goto(f"/partners/{organisation.slug}/publish/")
    tab.get_by_label("Title").fill("Malting barley at home")
    tab.get_by_label("Text").fill("Steep, germinate, kiln.")
    tab.get_by_text("Draft saved at").wait_for()
    tab.reload()
    tab.get_by_text("Your unsent draft is back").wait_for()
    assert tab.get_by_label("Title").input_value() == "Malting barley at home"
    assert tab.get_by_label("Text").input_value() == "Steep, germinate, kiln."
