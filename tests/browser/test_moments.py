"""A member answers the host's moment with a photo, the host features it and it shows on
the home page; the gallery's lightbox from the keyboard; axe on the gallery, light and dark."""
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from community.services import moments
from tests import factories

from .conftest import log_in, only_own_host, signed_in_tab
from .test_accessibility import AXE, _need, axe_serious


def _jpeg(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def _moment(host):
    now = timezone.now()
    return moments.moment_create(
        host=host, space=factories.SpaceFactory(name="Brewing"),
        title="Show us your brew day", brief="A photo of your brew day, with a line.",
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=7))


def _entries(moment, n):
    from django.core.files.uploadedfile import SimpleUploadedFile

    for i in range(n):
        moments.entry_create(
            author=factories.UserFactory(display_name=f"Brewer {i}"), moment=moment,
            photo=SimpleUploadedFile("p.jpg", _jpeg((40 * i, 120, 90)), content_type="image/jpeg"),
            alt_text=f"Photo number {i}", text=f"Caption {i}")


def test_a_member_answers_the_host_features_it_shows_on_home(page, live_server, browser):
    host = factories.HostFactory(display_name="Hana Host")
    member = factories.UserFactory(display_name="Bea Brewer")
    moment = _moment(host)

    log_in(page, member)
    page.goto("/moments/")
    page.get_by_role("link", name="Show us your brew day").click()
    page.get_by_label("Your photo").set_input_files(
        {"name": "boil.jpg", "mimeType": "image/jpeg", "buffer": _jpeg((200, 120, 40))})
    page.get_by_label("Describe the photo").fill("A copper kettle steaming on the hob")
    page.get_by_label("Caption or story").fill("Boil day, 60 minutes to go.")
    page.get_by_role("button", name="Send my entry").click()
    page.get_by_text("your entry is in the gallery").wait_for()
    page.locator(".moment-gallery img[alt='A copper kettle steaming on the hob']").wait_for()

    hosting = signed_in_tab(browser, live_server, host)
    hosting.goto(moment.get_absolute_url())
    hosting.get_by_role("button", name="Feature Bea Brewer's entry").click()
    hosting.get_by_text("Featured: it shows on the home page").wait_for()

    visitor = browser.new_context(base_url=live_server.url).new_page()
    visitor.goto("/")
    strip = visitor.get_by_role("region", name="From the community")
    strip.get_by_role("img", name="A copper kettle steaming on the hob").wait_for()
    assert "Bea Brewer" in strip.inner_text()
    only_own_host(page, live_server)


def test_the_lightbox_works_from_the_keyboard(page, live_server):
    moment = _moment(factories.HostFactory())
    _entries(moment, 3)
    page.goto(moment.get_absolute_url())
    first = page.locator(".moment-gallery [data-lightbox]").first
    first.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#moment-lightbox")
    dialog.wait_for(state="visible")
    shown = dialog.locator("img")
    first_alt = shown.get_attribute("alt")
    assert first_alt == "Photo number 2"  # newest first
    # The focus is inside the dialog, and Tab keeps it there.
    for _ in range(5):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('#moment-lightbox') !== null")
    page.keyboard.press("ArrowRight")
    assert shown.get_attribute("alt") == "Photo number 1"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert shown.get_attribute("alt") == "Photo number 0"  # round to the last
    assert "By Brewer 0" in dialog.inner_text()
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.dataset.alt") == "Photo number 2"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_on_the_gallery(browser, live_server, settings, scheme):
    _need(AXE)
    settings.ALLOWED_HOSTS = ["*"]
    host = factories.HostFactory()
    moment = _moment(host)
    _entries(moment, 4)
    moments.entry_feature_set(host=host, entry=moment.entries.first(), featured=True)
    context = browser.new_context(base_url=live_server.url, bypass_csp=True,
                                  color_scheme=scheme)
    tab = context.new_page()
    tab.goto(moment.get_absolute_url())
    serious = axe_serious(tab, f"gallery ({scheme})")
    context.close()
    assert not serious, "\n".join(serious)
