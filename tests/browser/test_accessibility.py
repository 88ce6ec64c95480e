"""Accessibility and valid HTML on the pages members and hosts use most.

On the demo community: axe-core (npm, injected into Debian's Chromium) finds no serious or
critical violation, in the light theme on a 320 px phone, where nothing sticks out
sideways, and in the dark theme on a desktop; the Nu HTML checker (npm ``vnu-jar``, run
with java, the HTML piped in) finds no error; Lighthouse 12 scores
accessibility and best practices at 0.95 or more on home, thread and ask; and a member asks
a question with the keyboard alone. The checkers come from ``npm ci`` (``package.json``);
without them these tests are skipped, unless ``REQUIRE_BROWSER=1`` (CI).
"""
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from community.demo.data import DEMO_PASSWORD

from .conftest import CHROMIUM, FLAGS, log_in

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"


def _need(*paths):
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"missing {missing}: run npm ci")
        pytest.skip(f"missing {missing}: run npm ci")


def axe_serious(page, label: str) -> list[str]:
    """axe-core's serious and critical violations on ``page``, one line each, named by
    ``label`` (the page must be opened with bypass_csp so the script can be injected)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, "
                           "{resultTypes: ['violations']})")
    return [f"{label}: axe {v['id']} ({v['impact']}): {v['help']} at "
            f"{[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def _photo_in(post):
    """The question shows a photo, as a member adds one (checked by axe and vnu too)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from community.services import conversations, media

    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (180, 120, 40)).save(buffer, "JPEG")
    photo = media.image_upload(
        uploader=post.author, alt_text="The kettle on its burner, lid off",
        upload=SimpleUploadedFile("kettle.jpg", buffer.getvalue(), content_type="image/jpeg"))
    conversations.post_edit(actor=post.author, post=post, body=f"{post.body}\n\n{photo.markdown}")
    assert 'class="post-image"' in post.body_html


@pytest.fixture
def demo(db):
    from community.models import Collection, Moment, Space, Thread, User
    from partners.models import Organisation
    from purpose.models import Project

    call_command("seed_demo", allow_production=True, verbosity=0)  # a test database
    from django.contrib.auth.hashers import make_password

    from tests import factories

    newcomer = factories.NewMemberFactory(username="newcomer", display_name="Nia Newcomer",
                                          password=make_password(DEMO_PASSWORD))
    question = (Thread.objects.filter(kind="question", is_deleted=False, is_hidden=False)
                .order_by("-answer_count").first())
    _photo_in(question.opening_post)
    return {
        "host": User.objects.filter(is_host=True).first(),
        "member": User.objects.filter(is_host=False, is_staff=False, trust_level__gte=1,
                                      partner_memberships__isnull=True).first(),
        "space": Space.objects.order_by("position").first(),
        "question": question,
        "project": Project.objects.exclude(status="proposed").first(),
        "organisation": Organisation.objects.filter(status="verified").first(),
        "newcomer": newcomer,  # has not seen the first-visit welcome yet
        "collection": Collection.objects.filter(featured_at__isnull=False).first(),
        "moment": Moment.objects.get(title="Show us your brew day"),
    }


def _pages(demo):
    """(name, path, who): the pages the issue names, as their usual visitor."""
    return [
        ("home", reverse("home"), None),
        ("space", reverse("space", args=[demo["space"].slug]), None),
        ("thread", demo["question"].get_absolute_url(), None),
        ("search", reverse("search") + "?q=yeast", None),
        ("profile", reverse("profile", args=[demo["member"].username]), None),
        ("sign up", reverse("account_signup"), None),
        ("log in", reverse("account_login"), None),
        ("project", reverse("purpose:project", args=[demo["project"].slug]), None),
        ("partner", reverse("partners:organisation", args=[demo["organisation"].slug]), None),
        ("ask", reverse("ask"), "host"),
        ("host dashboard", reverse("host_dashboard"), "host"),
        ("review queue", reverse("review_queue"), "host"),
        ("home (member)", reverse("home"), "host"),
        ("thread (member)", demo["question"].get_absolute_url(), "host"),
        ("style guide", reverse("style_guide"), "host"),
        ("welcome (new member)", reverse("welcome"), "newcomer"),
        ("home (new member)", reverse("home"), "newcomer"),
        ("collections", reverse("collection_list"), None),
        ("collection", demo["collection"].get_absolute_url(), None),
        ("collection (host)", demo["collection"].get_absolute_url(), "host"),
        ("add to collection", f"{reverse('collection_add')}?thread={demo['question'].pk}",
         "host"),
        ("my collections", reverse("collection_mine"), "host"),
        ("moments", reverse("moment_list"), None),
        ("moment gallery", demo["moment"].get_absolute_url(), None),
        ("moment gallery (member)", demo["moment"].get_absolute_url(), "member"),
        ("moment gallery (host)", demo["moment"].get_absolute_url() + "?sort=loved", "host"),
        ("start a moment", reverse("moment_create"), "host"),
        ("reach of moments", reverse("moment_reach"), "host"),
        ("initiatives", reverse("host_strategy"), "host"),
        ("initiatives worksheet", reverse("strategy_worksheet"), "host"),
        ("add an initiative", reverse("initiative_create"), "host"),
        ("growth", reverse("host_growth"), "host"),
    ]


OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && getComputedStyle(el).position !== "fixed"
        && !el.closest("[data-scrolls], pre, table, .table-scroll")) {
      wide.push(el.tagName.toLowerCase() + (el.className ? "." + el.className : "")
                + " " + Math.round(box.right) + "px");
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


def test_axe_narrow_screens_and_valid_html(browser, live_server, demo, settings, tmp_path):
    _need(AXE, VNU)
    if not shutil.which("java"):
        pytest.fail("java is needed for the Nu HTML checker")
    settings.ALLOWED_HOSTS = ["*"]
    contexts = {}
    problems, html_files = [], []
    # Both themes and both widths: the light theme on a 320 px phone, where nothing may
    # stick out sideways, the dark one (a reader whose system asks for it) on a desktop.
    for scheme, viewport in (("light", {"width": 320, "height": 640}),
                             ("dark", {"width": 1280, "height": 720})):
        for name, path, who in _pages(demo):
            if (who, scheme) not in contexts:
                # CSP would refuse the injected axe script: this context alone bypasses it.
                context = browser.new_context(base_url=live_server.url, bypass_csp=True,
                                              color_scheme=scheme, viewport=viewport)
                context.set_default_timeout(10_000)
                if who:
                    log_in(context.new_page(), demo[who], DEMO_PASSWORD)
                contexts[who, scheme] = context
            page = contexts[who, scheme].new_page()
            response = page.goto(path)
            assert response.status == 200, (name, response.status)
            if scheme == "light":
                html = response.text()
                html_file = tmp_path / (re.sub(r"\W+", "-", name) + ".html")
                html_file.write_text(html)
                html_files.append(html_file)

            problems += axe_serious(page, f"{name} ({scheme}, {viewport['width']} px)")
            if scheme == "light":
                fit = page.evaluate(OVERFLOW)
                if fit["scroll"] > fit["width"] + 1:
                    problems.append(f"{name}: {fit['scroll']}px wide at 320px: {fit['wide']}")
            page.close()
    for context in contexts.values():
        context.close()

    checked = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json",
         *map(str, html_files)], capture_output=True, text=True, timeout=180)
    for message in json.loads(checked.stderr or '{"messages": []}')["messages"]:
        if message.get("type") == "error":
            problems.append(f"{Path(message.get('url', '')).stem}: html line "
                            f"{message.get('lastLine')}: {message.get('message')}")
    assert not problems, "\n".join(problems)


def _lighthouse(url: str, cookie: str = "") -> dict:
    command = [str(LIGHTHOUSE), url, "--only-categories=accessibility,best-practices",
               "--output=json", "--output-path=stdout", "--quiet",
               "--chrome-flags=" + " ".join(FLAGS)]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    done = subprocess.run(command, capture_output=True, text=True, timeout=180,
                          env={**os.environ, "CHROME_PATH": str(CHROMIUM)})
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    scores = {k: v["score"] for k, v in report["categories"].items()}
    failing = [f"{a['id']}: {a['title']}" for a in report["audits"].values()
               if a.get("score") is not None and a["score"] < 1
               and a.get("scoreDisplayMode") == "binary"]
    return {"scores": scores, "failing": failing}


def test_lighthouse_accessibility_and_best_practices(page, live_server, demo):
    _need(LIGHTHOUSE)
    log_in(page, demo["host"], DEMO_PASSWORD)
    session = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    results = {
        "home": _lighthouse(live_server.url + reverse("home")),
        "thread": _lighthouse(live_server.url + demo["question"].get_absolute_url()),
        "ask": _lighthouse(live_server.url + reverse("ask"),
                           cookie=f"sessionid={session['value']}"),
    }
    low = {name: r for name, r in results.items()
           if min(r["scores"].values()) < 0.95}
    assert not low, json.dumps(low, indent=1)


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until ``selector`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)",
                         selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def test_a_member_asks_a_question_with_the_keyboard_alone(page, demo):
    member = demo["member"]
    page.goto(reverse("account_login"))
    _tab_to(page, "input[name=login]")
    page.keyboard.type(member.email)
    _tab_to(page, "input[name=password]")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("navigation", name="Main").get_by_text(member.name).wait_for()

    _tab_to(page, "a.skip-link")  # the first stop skips the navigation
    _tab_to(page, "nav a[href='/ask/']")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused link shows no focus ring"
    page.keyboard.press("Enter")
    page.wait_for_url("**/ask/")
    _tab_to(page, "select[name=space]")
    page.keyboard.press("ArrowDown")
    _tab_to(page, "input[name=title]")
    page.keyboard.type("Which hops suit a cold-climate garden?")
    _tab_to(page, "textarea[name=body]")
    page.keyboard.type("We get frost in May. Has anyone grown hops that cope with it?")
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Which hops suit a cold-climate garden?").wait_for()


def test_a_reader_searches_from_the_header_with_the_keyboard_alone(page, demo):
    page.goto(reverse("thread", kwargs={"pk": demo["question"].pk,
                                        "slug": demo["question"].slug}))
    _tab_to(page, "a.skip-link")
    _tab_to(page, "#site-search-q")  # labelled "Search the community", before the links
    assert page.get_by_label("Search the community").evaluate(
        "el => el === document.activeElement")
    page.keyboard.type("yeast")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=yeast")
    page.get_by_text(re.compile(r"\d+ results? for “yeast”")).wait_for()


def test_the_welcome_works_with_the_keyboard_alone(page, demo):
    from community.models import SpaceFollow

    log_in(page, demo["newcomer"], DEMO_PASSWORD)
    page.goto(reverse("welcome"))
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "spaces":
            break
    page.keyboard.press("Space")
    assert page.locator('input[name="spaces"]').first.is_checked()
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == (
                "Finish and go to my home page"):
            break
    page.keyboard.press("Enter")
    page.get_by_text("You're all set.").wait_for()
    assert SpaceFollow.objects.filter(user=demo["newcomer"]).count() == 1


def test_the_welcome_works_without_javascript(browser, live_server, demo):
    from community.models import User

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, demo["newcomer"], DEMO_PASSWORD)
    page.goto(reverse("welcome"))
    page.get_by_role("button", name="Skip for now").click()
    page.get_by_text("No problem").wait_for()
    assert User.objects.get(pk=demo["newcomer"].pk).onboarded_at is not None
    context.close()
