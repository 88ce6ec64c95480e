"""A shopper's journey through the catalogue: a visitor reads a product's page with an owner's
answer, a member says they own it (in place with htmx, by a plain form without JavaScript),
asks the owners a question from the page and lands on it; the page passes axe in both themes
and does not scroll sideways on a phone."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community.commerce import catalogue, ownership
from community.models import Ownership, Thread
from community.services import conversations
from tests import factories

from .conftest import log_in, only_own_host
from .test_accessibility import AXE, OVERFLOW, _need, axe_serious

pytestmark = pytest.mark.django_db(transaction=True)


def _jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (180, 110, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile("kettle.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def kettle(db):
    host = factories.HostFactory()
    space = factories.SpaceFactory(name="Kettles")
    tag = conversations.tags_resolve(["summit-kettle"])[0]
    product = catalogue.product_create(
        host=host, sku="K30", name="Summit kettle 30 L", line="Summit",
        description="Stainless, with a tap and a thermometer.", space=space, tag=tag)
    catalogue.product_image_add(host=host, product=product, upload=_jpeg(),
                                alt_text="The kettle on its burner, lid off")
    asker = factories.UserFactory(display_name="Sam Shopper")
    question = conversations.thread_create(
        author=asker, space=space, kind="question", title="Does the tap drip after a year?",
        body="Thinking of buying one for lagers.", product=product)
    owner = factories.UserFactory(display_name="Olga Owner")
    ownership.ownership_verify(member=owner, product=product, source=Ownership.Source.ORDER,
                               order_ref="A-100")
    conversations.post_create(author=owner, thread=question,
                              body="Mine is two years old and the tap is still dry.")
    return product


def test_a_visitor_reads_then_a_member_owns_and_asks(page, live_server, kettle):
    page.goto("/products/")
    page.get_by_role("link", name="Summit kettle 30 L").click()
    page.get_by_role("heading", name="Summit kettle 30 L", level=1).wait_for()
    assert page.locator(".product-photos img").first.get_attribute("alt") == (
        "The kettle on its burner, lid off")
    page.get_by_role("link", name="Does the tap drip after a year?").wait_for()
    page.get_by_text("Mine is two years old and the tap is still dry.").wait_for()
    page.locator(".badge-owner-verified", has_text="Verified owner").first.wait_for()
    # A visitor is offered a sign-in, not the button.
    page.get_by_role("link", name="Sign in to say you own this").wait_for()

    member = factories.UserFactory(display_name="Mia Member")
    log_in(page, member)
    page.goto(kettle.get_absolute_url())
    page.evaluate("() => { window.stillHere = true; }")  # gone if the page were reloaded
    page.get_by_role("button", name="I own this").click()
    page.get_by_text("You own this").wait_for()
    assert page.evaluate("() => window.stillHere === true"), "htmx should swap in place"
    assert Ownership.objects.filter(member=member, product=kettle).exists()
    # The rest of the page still works after the swap: ask from it.
    page.get_by_role("link", name="Ask owners of this product").first.click()
    page.get_by_text("Your question is about").wait_for()
    assert page.locator('select[name="space"]').count() == 0
    page.get_by_text("Asked in").wait_for()
    page.get_by_label("Your question").fill("How long does the element last?")
    page.get_by_label("Details").fill("I brew twice a week.")
    page.get_by_role("button", name="Post your question").click()
    page.get_by_role("heading", name="How long does the element last?").wait_for()
    thread = Thread.objects.get(title="How long does the element last?")
    assert thread.product == kettle and thread.space == kettle.space
    assert page.url.endswith(thread.get_absolute_url())
    page.locator(".thread-product").get_by_role(
        "link", name="Summit kettle 30 L", exact=True).wait_for()
    only_own_host(page, live_server)


def test_i_own_this_without_javascript(browser, live_server, kettle, settings):
    settings.ALLOWED_HOSTS = ["*"]
    member = factories.UserFactory(display_name="Nora Nojs")
    plain = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = plain.new_page()
    tab.set_default_timeout(10_000)
    log_in(tab, member)
    tab.goto(kettle.get_absolute_url())
    tab.get_by_role("button", name="I own this").click()
    tab.get_by_text("You own this").wait_for()
    assert tab.url.endswith(kettle.get_absolute_url())
    tab.get_by_role("link", name="Ask owners of this product").first.wait_for()
    assert Ownership.objects.filter(member=member, product=kettle).exists()
    plain.close()


def test_the_product_page_passes_axe_and_fits_a_phone(browser, live_server, kettle, settings):
    _need(AXE)
    settings.ALLOWED_HOSTS = ["*"]
    member = factories.UserFactory()
    problems = []
    for scheme in ("light", "dark"):
        # CSP would refuse the injected axe script: this context alone bypasses it.
        context = browser.new_context(base_url=live_server.url, bypass_csp=True,
                                      color_scheme=scheme)
        context.set_default_timeout(10_000)
        for who in ("visitor", "member"):
            tab = context.new_page()
            if who == "member":
                log_in(tab, member)
            assert tab.goto(kettle.get_absolute_url()).status == 200
            problems += axe_serious(tab, f"{who} ({scheme})")
            tab.set_viewport_size({"width": 390, "height": 844})
            tab.reload()
            fit = tab.evaluate(OVERFLOW)
            if fit["scroll"] > fit["width"] + 1:
                problems.append(f"{who} ({scheme}): {fit['scroll']}px wide at 390px: "
                                f"{fit['wide']}")
            scrolled = tab.evaluate("() => { window.scrollTo(500, 0); return window.scrollX; }")
            if scrolled:
                problems.append(f"{who} ({scheme}): scrolls sideways by {scrolled}px at 390px")
            tab.close()
        context.close()
    assert not problems, "\n".join(problems)
