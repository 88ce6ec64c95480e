"""The shop's Q&A widget in Chromium: on the demo shop page, on a shop served from a listed
origin (a second local HTTP server), and refused to a shop on an origin nobody listed (its
frame blocked by frame-ancestors, its fetch of the JSON failing CORS). The widget page
passes axe and is used with the keyboard alone."""
import http.server
import re
import threading
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import CommunitySettings, Ownership, Product, Thread
from community.services import conversations
from tests import factories

from .conftest import only_own_host
from .test_accessibility import AXE, _need, axe_serious

QUESTION = "Does the Pro Kettle fit on a 30 cm induction hob?"
ANSWER = "Yes: mine sits on a 28 cm plate without trouble."


def _origin(url: str) -> str:
    parts = urlparse(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def kettle(db):
    space = factories.SpaceFactory(name="Brewing kits")
    product = Product.objects.create(sku="PRO-KETTLE-30L", name="Pro Kettle 30L",
                                     slug="pro-kettle-30l", space=space)
    question = conversations.thread_create(
        author=factories.UserFactory(), space=space, kind=Thread.Kind.QUESTION,
        title=QUESTION, body="The base looks wide.")
    Thread.objects.filter(pk=question.pk).update(product=product)
    owner = factories.UserFactory(display_name="Olive Owner")
    Ownership.objects.create(member=owner, product=product, verified_at=timezone.now(),
                             source=Ownership.Source.ORDER)
    conversations.post_create(author=owner, thread=question, body=ANSWER)
    return product


def _list(*origins):
    row = CommunitySettings.get()
    row.widget_origins = "\n".join(origins)
    row.save()


class _Shop:
    """A shop's product page on its own origin (127.0.0.1 and a free port; the community
    runs on localhost): the widget's script, its slot, and a fetch of the JSON whose
    outcome the page writes into ``#fetched``."""

    def __init__(self, community: str, sku: str):
        page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>A shop</title></head><body><main><h1>Pro Kettle 30L</h1>
<div data-gravity-widget data-sku="{sku}"></div>
<p id="fetched">waiting</p></main>
<script src="{community}/static/widget/gravity-widget.js"></script>
<script>
fetch("{community}/widget/products/{sku}.json")
  .then(function (r) {{ return r.json(); }})
  .then(function (d) {{ document.getElementById("fetched").textContent =
    "questions: " + d.questions.length; }})
  .catch(function (e) {{ document.getElementById("fetched").textContent = "failed"; }});
</script></body></html>""".encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the standard library's name)
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.origin = _origin(self.url)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def shop(live_server, kettle):
    running = _Shop(live_server.url, kettle.sku)
    yield running
    running.close()


def test_the_demo_shop_page_shows_the_widget_with_its_questions(page, live_server, kettle,
                                                                settings):
    settings.DEMO_SHOP = True
    _list(_origin(live_server.url))
    page.goto(reverse("demo_shop_product", kwargs={"sku": kettle.sku}))
    frame = page.frame_locator("iframe[title='Questions and answers about Pro Kettle 30L']")
    frame.get_by_role("heading", name=QUESTION).wait_for()
    assert frame.get_by_text(ANSWER).is_visible()
    assert frame.get_by_text("Verified owner").is_visible()
    # The frame takes its content's height (from the widget's message), not the first guess.
    iframe = page.locator("iframe")
    page.wait_for_function(
        "() => document.querySelector('iframe').style.height !== '480px'")
    inner = frame.locator("html").evaluate(
        "el => Math.ceil(el.getBoundingClientRect().height)")
    assert abs(iframe.bounding_box()["height"] - inner) <= 2
    only_own_host(page, live_server)


def test_a_listed_shop_origin_gets_the_widget_and_the_json(page, shop):
    _list(shop.origin)
    page.goto(shop.url)
    page.frame_locator("iframe").get_by_role("heading", name=QUESTION).wait_for()
    page.locator("#fetched").filter(has_text="questions: 1").wait_for()


def test_an_unlisted_shop_origin_gets_no_frame_and_no_json(page, live_server, shop):
    _list("https://shop.example.com", _origin(live_server.url))
    refusals = []
    page.on("console", lambda message: refusals.append(message.text))
    page.goto(shop.url)
    page.locator("#fetched").filter(has_text="failed").wait_for()
    page.wait_for_timeout(500)
    frame = page.frames[1] if len(page.frames) > 1 else None
    assert frame is not None
    assert QUESTION not in frame.content()
    said = " ".join(refusals)
    assert "frame-ancestors" in said
    assert "CORS" in said or "Access-Control-Allow-Origin" in said


def test_the_widget_passes_axe_and_works_with_the_keyboard(browser, live_server, kettle):
    _need(AXE)
    problems = []
    for scheme in ("light", "dark"):
        # CSP would refuse the injected axe script: this context alone bypasses it.
        context = browser.new_context(base_url=live_server.url, bypass_csp=True,
                                      color_scheme=scheme)
        tab = context.new_page()
        tab.goto(reverse("widget", kwargs={"sku": kettle.sku}))
        problems += axe_serious(tab, f"widget ({scheme})")
        if scheme == "light":
            assert tab.get_by_role("main").count() == 1
            assert tab.get_by_role("heading", level=1).count() == 1
            # Tab through: the question's link, then the ask box's sign-in link.
            reached = []
            for _ in range(8):
                tab.keyboard.press("Tab")
                reached.append(tab.evaluate("document.activeElement.textContent.trim()"))
                if reached[-1] == "Sign in to ask":
                    break
            assert QUESTION in reached and reached[-1] == "Sign in to ask", reached
            tab.set_viewport_size({"width": 320, "height": 640})
            fit = tab.evaluate("() => ({scroll: document.documentElement.scrollWidth, "
                               "width: document.documentElement.clientWidth})")
            assert fit["scroll"] <= fit["width"] + 1, fit
        context.close()
    assert not problems, problems


def test_a_member_asks_from_the_widget_in_a_new_tab(page, live_server, kettle, member):
    from .conftest import log_in

    log_in(page, member)
    page.goto(reverse("widget", kwargs={"sku": kettle.sku}))
    page.get_by_label("Your question").fill("Can the Pro Kettle take a false bottom?")
    page.get_by_label("Details").fill("Thinking of brew-in-a-bag.")
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Ask the owners").click()
    thread_tab = opened.value
    thread_tab.wait_for_load_state()
    assert re.search(r"/t/\d+/", thread_tab.url)
    assert Thread.objects.filter(title="Can the Pro Kettle take a false bottom?",
                                 space=kettle.space).exists()
