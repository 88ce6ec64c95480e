"""A member proposes a project, a host approves it, two members join and pledge, one submits
a design, the others vote, and the winner is confirmed and credited."""
import io
import re
from datetime import timedelta

from django.utils import timezone
from PIL import Image

from purpose.models import Project
from tests import factories

from .conftest import log_in, only_own_host, signed_in_tab


def _png() -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (212, 160, 23)).save(buffer, "PNG")
    return {"name": "label.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def test_propose_approve_join_pledge_design_vote_win(page, live_server, browser):
    factories.SpaceFactory(name="Brew club")
    proposer = factories.UserFactory(display_name="Petra Proposer")
    host = factories.HostFactory(display_name="Hana Host")
    builder = factories.UserFactory(display_name="Bo Builder")
    helper = factories.UserFactory(display_name="Cy Helper")

    # A member proposes.
    log_in(page, proposer)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    page.get_by_role("link", name="Propose a project").first.click()
    page.get_by_label("Title").fill("Label for the harvest ale")
    page.get_by_label("Goal").fill("One label on forty kitchens' bottles.")
    page.get_by_label("Description").fill("Submit a design; the community picks one.")
    page.get_by_role("button", name="Propose project").click()
    page.get_by_text("waits for a host's approval").first.wait_for()
    project_url = page.url

    # A host approves it and lists what it needs.
    staff = signed_in_tab(browser, live_server, host)
    staff.goto("/projects/")
    staff.get_by_role("link", name=re.compile("1 proposal waits")).click()
    staff.get_by_role("link", name="Label for the harvest ale").click()
    staff.get_by_role("button", name="Approve and open").click()
    staff.get_by_text("The project is open.").wait_for()
    staff.get_by_label("Kind").select_option(label="Tool")
    staff.get_by_label("What is needed").fill("Bottle cappers")
    staff.get_by_label("How many").fill("2")
    staff.get_by_role("button", name="Add to the list").click()
    staff.get_by_text("2 still missing").first.wait_for()

    # Two members join and pledge.
    tabs = {}
    for person in (builder, helper):
        tab = signed_in_tab(browser, live_server, person)
        tab.goto(project_url)
        tab.get_by_role("button", name="Join this project").click()
        tab.get_by_text("You joined the project.").wait_for()
        tab.get_by_role("button", name="Pledge", exact=True).click()
        tab.get_by_text("Thank you! You pledged 1 × Bottle cappers.").wait_for()
        tabs[person.pk] = tab
    assert "covered" in tabs[helper.pk].locator("#needs").inner_text()

    # One submits a design.
    tab = tabs[builder.pk]
    tab.get_by_role("link", name="Submit a contribution").click()
    tab.get_by_role("radio", name="Design").check()
    tab.get_by_label("Title").fill("Golden field at dusk")
    tab.get_by_label("Design image").set_input_files(_png())
    tab.get_by_role("button", name="Submit contribution").click()
    tab.get_by_text("Your contribution is in.").wait_for()
    design_url = tab.url
    assert tab.get_by_role("img", name=re.compile("Golden field at dusk")).is_visible()

    # The others vote.
    for voter in (page, tabs[helper.pk]):
        voter.goto(design_url)
        voter.get_by_role("button", name="Vote for this").click()
        voter.get_by_text("You voted for “Golden field at dusk”.").wait_for()
    page.reload()
    assert "2 votes" in page.locator(".vote-tally").inner_text()

    # The lead sets a closing date; it passes.
    page.goto(project_url)
    page.get_by_label("Voting closes").fill(
        (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save closing date").click()
    page.get_by_text("Voting closing date saved.").wait_for()
    Project.objects.filter(title="Label for the harvest ale").update(
        voting_closes_at=timezone.now() - timedelta(minutes=1))

    # The host confirms the winner; it is credited on the project and the profile.
    staff.goto(design_url)
    staff.get_by_role("button", name="Confirm as winner").click()
    staff.get_by_text("is confirmed as a winner").wait_for()
    assert staff.get_by_role("heading", name="Chosen by the community").is_visible()
    staff.goto(f"/u/{builder.username}/")
    credits = staff.locator(".member-credits")
    assert "Winner" in credits.inner_text() and "Golden field at dusk" in credits.inner_text()
    only_own_host(page, live_server)
    for tab in (staff, *tabs.values()):
        tab.context.close()
