"""A visitor becomes a member: sign up, confirm by mail in another browser (which signs them
in), the first-visit welcome, their own home page, then profile and invitations."""
import io
import re
from urllib.parse import urlparse

from django.core import mail
from PIL import Image

from community.models import Invitation, SpaceFollow, User
from community.services import conversations
from tests import factories

from .conftest import only_own_host

PASSWORD = "a long and unusual passphrase 42"


def _png(path):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (20, 120, 80)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_visitor_signs_up_verifies_edits_profile_and_invites(page, browser, live_server,
                                                             tmp_path):
    host = factories.HostFactory()
    sours = factories.SpaceFactory(name="Sours and wild ales")
    conversations.thread_create(author=host, space=sours, kind="discussion",
                                title="Your first kettle sour", body="Start here.")
    page.goto("/")
    page.get_by_role("link", name="Join", exact=True).click()

    page.get_by_label("Email").fill("rosa.visitor@example.com")
    page.get_by_label("Username").fill("rosa_v")
    page.get_by_label("Display name").fill("Rosa V")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.get_by_text("verify", exact=False).first.wait_for()

    verification = mail.outbox[-1]
    assert verification.to == ["rosa.visitor@example.com"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", verification.body).group(0)
    # The mail is opened in another browser (a phone's mail app, say): confirming there
    # signs Rosa in and lands on the welcome, once.
    page.context.close()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390,
                                                                      "height": 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.requested_hosts = set()
    page.on("request", lambda req: page.requested_hosts.add(urlparse(req.url).netloc))
    page.goto(urlparse(link).path)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name=re.compile("Welcome to")).wait_for()
    assert urlparse(page.url).path == "/welcome/"
    # Signed in as Rosa: her name is in the header's menu (folded at this width).
    assert page.get_by_role("navigation", name="Main").get_by_text("Rosa V").count() == 1
    assert page.get_by_role("heading", name="While you are new").is_visible()
    page.get_by_label(re.compile("Sours and wild ales")).check()
    page.get_by_role("button", name="Finish and go to my home page").click()
    page.get_by_text("You're all set.").wait_for()
    for_you = page.get_by_role("region", name="For you")
    assert for_you.get_by_role("link", name="Your first kettle sour").is_visible()
    assert page.get_by_role("heading", name="Your questions").is_visible()
    assert page.get_by_text("Finish your welcome").count() == 0
    assert SpaceFollow.objects.filter(user__username="rosa_v", space=sours).exists()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the member home scrolls sideways at 390 px ({width} px)"
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Display name").fill("Rosa Visitor")
    page.get_by_label("Bio").fill("Brewing sours on a balcony.")
    page.get_by_label("Interests").fill("Starter Kit, Smart Fermenter")
    page.get_by_label("Avatar").set_input_files(str(_png(tmp_path / "me.png")))
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Your profile is saved.").wait_for()
    assert page.get_by_role("heading", name="Rosa Visitor").is_visible()
    assert page.get_by_text("Brewing sours on a balcony.").is_visible()
    member = User.objects.get(username="rosa_v")
    assert member.avatar and member.interests == "Starter Kit, Smart Fermenter"

    page.get_by_role("link", name="Invite", exact=True).click()
    page.get_by_label("Friends' email addresses").fill("friend.of.rosa@example.com")
    page.get_by_role("button", name="Send invitations").click()
    page.get_by_text("Invitation sent to 1 address.").wait_for()
    assert page.get_by_role("cell", name="friend.of.rosa@example.com").is_visible()
    assert Invitation.objects.filter(inviter=member, email="friend.of.rosa@example.com").exists()
    assert any(m.to == ["friend.of.rosa@example.com"] for m in mail.outbox)

    only_own_host(page, live_server)
    context.close()


def test_keyboard_first_tab_reaches_skip_link(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
