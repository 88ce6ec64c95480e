"""A member writes a reply with the composer: bold from the toolbar, a photo with its
description, the server's preview, the draft kept while they look elsewhere, then posted;
axe finds nothing serious on the composer in the light and the dark theme."""
import io

from PIL import Image

from community.models import Draft, Post, Thread
from community.services import conversations
from tests import factories

from .conftest import log_in, only_own_host
from .test_accessibility import AXE, _need


def _photo(tmp_path):
    path = tmp_path / "brew-day.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (180, 120, 40)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def _thread():
    return conversations.thread_create(
        author=factories.UserFactory(display_name="Opal Opener"),
        space=factories.SpaceFactory(name="Brew days"), kind=Thread.Kind.DISCUSSION,
        title="Post your brew day photos", body="Show us the mash tun.")


def test_a_member_writes_a_reply_with_the_composer(page, live_server, tmp_path):
    thread = _thread()
    member = factories.UserFactory(display_name="Bea Brewer")
    log_in(page, member)
    page.goto(thread.get_absolute_url())
    box = page.get_by_label("Your reply")
    toolbar = page.get_by_role("toolbar", name="Formatting")
    toolbar.wait_for()

    box.click()
    toolbar.get_by_role("button", name="Bold").click()  # **|** with the caret inside
    page.keyboard.type("Mash at 67C")
    assert box.input_value() == "**Mash at 67C**"

    page.locator(".composer-file").set_input_files(str(_photo(tmp_path)))
    alt = page.get_by_label("Alt: what the photo shows, so people who cannot see it know")
    alt.wait_for()
    page.get_by_role("button", name="Insert the photo").click()
    page.get_by_text("Describe the photo first").wait_for()  # no description, no photo
    alt.fill("The mash tun steaming in the garage")
    page.get_by_role("button", name="Insert the photo").click()
    page.get_by_text("Photo added.").wait_for()
    assert "![The mash tun steaming in the garage](upload:" in box.input_value()

    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".composer-preview")
    preview.locator("strong", has_text="Mash at 67C").wait_for()
    assert preview.get_by_role("img", name="The mash tun steaming in the garage").count() == 1

    page.get_by_text("Draft saved at").wait_for()  # a moment after typing stops
    page.goto("/")
    page.goto(thread.get_absolute_url())
    page.get_by_text("You have an unsent draft in this thread.").wait_for()
    assert page.get_by_label("Your reply").input_value().startswith("**Mash at 67C**")

    page.get_by_role("button", name="Post reply").click()
    page.get_by_text("Your reply is posted.").wait_for()
    post = Post.objects.get(thread=thread, author=member)
    assert "<strong>Mash at 67C</strong>" in post.body_html and "<img" in post.body_html
    assert not Draft.objects.filter(member=member).exists()
    page.reload()
    assert page.get_by_text("You have an unsent draft").count() == 0
    assert page.get_by_label("Your reply").input_value() == ""
    only_own_host(page, live_server)


def test_the_composer_passes_axe_in_light_and_dark(browser, live_server, settings, tmp_path):
    _need(AXE)
    settings.ALLOWED_HOSTS = ["*"]
    thread = _thread()
    member = factories.UserFactory(display_name="Bea Brewer")
    problems = []
    for scheme in ("light", "dark"):
        context = browser.new_context(base_url=live_server.url, bypass_csp=True,
                                      color_scheme=scheme)
        context.set_default_timeout(10_000)
        page = context.new_page()
        log_in(page, member)
        page.goto(thread.get_absolute_url())
        page.get_by_role("toolbar", name="Formatting").wait_for()
        page.get_by_label("Your reply").fill("**Bold** and _italic_ :tada:")
        page.get_by_role("button", name="Preview").click()
        page.locator(".composer-preview strong").wait_for()
        page.locator(".composer-file").set_input_files(str(_photo(tmp_path)))
        page.get_by_label("Alt: what the photo shows, so people who cannot see it know").wait_for()
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, "
                               "{resultTypes: ['violations']})")
        problems += [f"{scheme}: {v['id']} {[n['target'] for n in v['nodes'][:3]]}"
                     for v in result["violations"] if v["impact"] in ("serious", "critical")]
        context.close()
    assert not problems, problems


def test_quote_puts_the_selected_passage_into_the_reply(page, live_server):
    thread = _thread()
    log_in(page, factories.UserFactory(display_name="Bea Brewer"))
    page.goto(thread.get_absolute_url())
    page.get_by_role("toolbar", name="Formatting").wait_for()
    page.evaluate("""() => {
      const text = document.querySelector("[data-post] .post-body p").firstChild;
      const range = document.createRange();
      range.setStart(text, 8); range.setEnd(text, 21);  // "the mash tun."
      getSelection().removeAllRanges(); getSelection().addRange(range);
    }""")
    page.locator("[data-post]").first.get_by_role("link", name="Quote").click()
    username = thread.opening_post.author.username
    assert page.get_by_label("Your reply").input_value() == (
        f"> the mash tun.\n>\n> — @{username}\n\n")
