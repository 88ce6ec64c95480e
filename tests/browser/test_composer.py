"""A member writes a reply with the composer: bold from the toolbar, a photo with its
description, the server's preview, the draft kept while they look elsewhere, then posted;
photos pasted into the text or dropped on it take the same path; the form's plain "Add a
photo" gives way to the toolbar's button, and without JavaScript it still posts a photo;
axe finds nothing serious on the composer in the light and the dark theme."""
import base64
import io
import re

from PIL import Image

from community.models import CommunitySettings, Draft, Post, PostImage, Thread
from community.services import conversations
from tests import factories

from .conftest import log_in, only_own_host
from .test_accessibility import AXE, _need, axe_serious

PLAIN_PHOTO = re.compile(r"^Add a photo:?$")  # the form's own fields (forms.PhotoFieldsMixin)
PLAIN_ALT = re.compile(r"^Describe the photo:?$")


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

    # The toolbar's photo button replaces the form's plain photo field and its description.
    assert toolbar.get_by_role("button", name="Insert a photo").is_visible()
    plain = (page.get_by_label(PLAIN_PHOTO), page.get_by_label(PLAIN_ALT))
    assert [field.count() for field in plain] == [1, 1]  # in the page, for the form
    assert not any(field.is_visible() for field in plain)

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


def _give_file(page, event: str, data: bytes, name: str, mime: str) -> None:
    """Paste ``data`` into the reply box, or drop it there (dragenter, dragover, drop), as
    the browser does for a screenshot on the clipboard or a file from the desktop."""
    page.evaluate("""([event, encoded, name, mime]) => {
      const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, {type: mime}));
      const box = document.querySelector("#reply textarea");
      if (event === "paste") {
        box.dispatchEvent(new ClipboardEvent("paste", {clipboardData: transfer, bubbles: true,
                                                       cancelable: true}));
        return;
      }
      for (const kind of ["dragenter", "dragover", "drop"]) {
        box.dispatchEvent(new DragEvent(kind, {dataTransfer: transfer, bubbles: true,
                                               cancelable: true}));
      }
    }""", [event, base64.b64encode(data).decode(), name, mime])


def _image_bytes(fmt: str, colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), colour).save(buffer, fmt)
    return buffer.getvalue()


def test_a_photo_pasted_or_dropped_into_the_text_is_described_then_uploaded(page, live_server):
    thread = _thread()
    member = factories.UserFactory(display_name="Bea Brewer")
    log_in(page, member)
    page.goto(thread.get_absolute_url())
    page.get_by_role("toolbar", name="Formatting").wait_for()
    box = page.get_by_label("Your reply")
    box.fill("Before and after:")
    alt = page.get_by_label("Alt: what the photo shows, so people who cannot see it know")

    _give_file(page, "paste", _image_bytes("PNG", (30, 90, 160)), "image.png", "image/png")
    alt.wait_for()
    assert box.input_value() == "Before and after:"  # nothing pasted as text
    alt.fill("A screenshot of the gravity reading")
    alt.press("Enter")
    page.get_by_text("Photo added.").wait_for()
    assert "![A screenshot of the gravity reading](upload:" in box.input_value()

    _give_file(page, "drop", _image_bytes("JPEG", (160, 90, 30)), "fermenter.jpg", "image/jpeg")
    alt.wait_for()
    page.get_by_role("button", name="Cancel").click()  # changed their mind: nothing added
    page.get_by_text("Photo not added.").wait_for()
    _give_file(page, "drop", _image_bytes("JPEG", (160, 90, 30)), "fermenter.jpg", "image/jpeg")
    alt.fill("The fermenter on the kitchen floor")
    page.get_by_role("button", name="Insert the photo").click()
    page.get_by_text("Photo added.").wait_for()
    text = box.input_value()
    assert text.index("gravity reading") < text.index("The fermenter on the kitchen floor")

    page.get_by_role("button", name="Post reply").click()
    page.get_by_text("Your reply is posted.").wait_for()
    post = Post.objects.get(thread=thread, author=member)
    assert post.images.count() == 2 and post.body_html.count("<img ") == 2
    assert PostImage.objects.filter(uploader=member).count() == 2  # the cancelled one: never sent
    only_own_host(page, live_server)


def test_without_javascript_the_plain_photo_field_posts_a_photo(browser, live_server, settings,
                                                                tmp_path):
    settings.ALLOWED_HOSTS = ["*"]
    robot_speed = CommunitySettings.get()  # as the page fixture does: the robot types fast
    robot_speed.min_fill_seconds = 0
    robot_speed.save()
    thread = _thread()
    member = factories.UserFactory(display_name="Bea Brewer")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        log_in(page, member)
        page.goto(thread.get_absolute_url())
        assert not page.get_by_role("toolbar", name="Formatting").is_visible()
        page.get_by_label("Your reply").fill("The mash tun this morning")
        page.get_by_label(PLAIN_PHOTO).set_input_files(str(_photo(tmp_path)))
        page.get_by_label(PLAIN_ALT).fill("The mash tun steaming")
        page.get_by_role("button", name="Post reply").click()
        page.get_by_text("Your reply is posted.").wait_for()
    finally:
        context.close()  # before the database is emptied for the next test
    post = Post.objects.get(thread=thread, author=member)
    assert post.images.count() == 1 and 'alt="The mash tun steaming"' in post.body_html


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
        problems += axe_serious(page, f"composer ({scheme})")
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
