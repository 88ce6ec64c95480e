"""Hostile content in a real browser.

Every payload of ``xss_payloads.txt`` goes into every text a user can write (thread title,
body and tags, reply and its photo's alt text, display name, bio, location, products and
interests, project title, goal, description, need, update and contribution, organisation
name, description and links, partner content, the purpose statement and story, search
terms); then every page that shows them is opened in headless Chromium with a tripwire:

- ``alert``/``confirm``/``prompt`` record a call, real dialogs are recorded too;
- a ``securitypolicyviolation`` listener and the console record any CSP violation;
- the DOM is searched for ``on*`` attributes, ``javascript:``/``vbscript:``/``data:`` URLs,
  ``srcdoc``, scripts without a source file, frames, objects, ``<base>`` and CSS ``url()``;
- and each payload's neighbouring token must be visible, so content that silently vanished
  (held for review, refused) cannot pass as safe.
"""
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from community.content import tags as tag_names
from community.models import Thread
from community.services import conversations, media
from partners import services as partner_services
from purpose import services as purpose_services
from tests import factories

from .conftest import only_own_host

PAYLOADS = [line.replace("\\n", "\n") for line in
            (Path(__file__).with_name("xss_payloads.txt")).read_text().splitlines()
            if line and not line.startswith("#")]

TRIPWIRE = """
window.__xss = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__xss.push(name + "(" + args.join(",") + ")"); };
}
document.addEventListener("securitypolicyviolation", (e) => {
  window.__xss.push("csp " + e.violatedDirective + " " + e.blockedURI);
});
"""

DOM_SCAN = """() => {
  const found = [];
  const dangerous = /^(javascript|vbscript|data):/;
  const urlish = ["href", "src", "action", "formaction", "xlink:href", "background",
                  "poster", "data", "codebase", "to", "values", "from", "by"];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    if (["iframe", "frame", "object", "embed", "base", "applet"].includes(tag)) {
      found.push("<" + tag + ">");
    }
    if (tag === "meta" && el.hasAttribute("http-equiv")) found.push("<meta http-equiv>");
    if (tag === "script" && !el.src && el.type !== "application/json") {
      found.push("inline <script>: " + el.textContent.slice(0, 60));
    }
    if (tag === "script" && el.src && new URL(el.src).origin !== location.origin) {
      found.push("foreign script " + el.src);
    }
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\s\\u0000-\\u001f]+/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(tag + " " + name + "=" + attr.value.slice(0, 40));
      if (name === "srcdoc" || /^(data-)?hx-on/.test(name)) found.push(tag + " " + name);
      if (urlish.includes(name) && dangerous.test(value)) {
        found.push(tag + " " + name + "=" + attr.value.slice(0, 40));
      }
      if (name === "style" && /url\\(|expression\\(/.test(value)) {
        found.push(tag + " style=" + attr.value.slice(0, 40));
      }
    }
  }
  for (const sheet of document.querySelectorAll("style")) {
    if (/url\\(|expression\\(/i.test(sheet.textContent)) found.push("<style> with url()");
  }
  return found;
}"""


def _photo():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def _token(i: int) -> str:
    return f"tok{i:03d}x"


# The corpus in three communities of its own, a third of the payloads each (every payload
# still goes into every field and onto every page): three journeys of two minutes that the
# test workers share, rather than one of six that a single worker ends the suite with.
SHARDS = 3


@pytest.fixture(params=range(SHARDS), ids=lambda n: f"payloads-{n + 1}-of-{SHARDS}")
def hostile_community(request):
    """Every payload of this shard in every field, written through the services the forms
    call."""
    shard = [(i, payload) for i, payload in enumerate(PAYLOADS) if i % SHARDS == request.param]
    host = factories.HostFactory(display_name="Hana Host")
    space = factories.SpaceFactory(name="Everything")
    rows = []
    purpose_services.purpose_revise(
        editor=host, statement=shard[0][1][:280],
        story="\n\n".join(f"{p}\n\n{_token(i)}" for i, p in shard))
    for i, payload in shard:
        token = _token(i)
        text = f"{payload}\n\n{token}"
        author = factories.UserFactory(
            username=f"hostile{i}", display_name=payload[:60], bio=text[:500],
            location=payload[:100], products=payload[:300], interests=payload[:300])
        thread = conversations.thread_create(
            author=author, space=space,
            kind=Thread.Kind.QUESTION if i % 2 else Thread.Kind.DISCUSSION,
            title=f"{payload[:180]} {token}", body=text,
            # Markup in a tag is refused (content.tags); every other payload becomes one.
            tags=["safe"] if tag_names.problems([payload]) else [payload, "safe"])
        # The reply carries a photo whose description is the payload (its alt text).
        replier = factories.UserFactory(display_name=payload[:60])
        photo = media.image_upload(uploader=replier, upload=_photo(),
                                   alt_text=payload[:300] if payload.strip() else token)
        conversations.post_create(author=replier, thread=thread,
                                  body=f"{text}\n\n{photo.markdown}")
        project = purpose_services.project_propose(
            author=author, title=f"{payload[:100]} {token}", goal=payload[:280],
            description=text, space=space)
        purpose_services.project_status_set(actor=host, project=project, to_status="open")
        purpose_services.need_add(actor=host, project=project, kind="tool",
                                  name=payload[:120], wanted=2)
        purpose_services.update_post(actor=host, project=project, body=text)
        purpose_services.contribution_submit(author=author, project=project, kind="idea",
                                             title=payload[:120], body=text)
        organisation = partner_services.organisation_apply(
            user=author, name=f"{payload[:100]} {token}", description=text,
            website="https://partner.example", links=f"{payload}\nhttps://ok.example")
        partner_services.organisation_decide(actor=host, organisation=organisation,
                                             verify=True)
        organisation.refresh_from_db()
        partner_post = partner_services.partner_publish(
            author=type(author).objects.get(pk=author.pk),  # now one of its people
            organisation=organisation, kind="howto", space=space,
            title=f"{payload[:150]} {token} how-to", body=text)
        rows.append({"token": token, "payload": payload, "thread": thread,
                     "author": author, "project": project, "organisation": organisation,
                     "partner_thread": partner_post.thread})
    return rows


class Tripwire:
    def __init__(self, page):
        self.page = page
        self.dialogs = []
        self.console = []
        self.text = ""  # the visible text of the page last visited
        page.add_init_script(TRIPWIRE)
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: self.console.append(m.text)
                if "Content Security Policy" in m.text else None)

    def visit(self, url: str, *, expect: tuple[str, ...] = ()) -> list[str]:
        self.console.clear()
        self.dialogs.clear()
        self.text = ""
        try:
            response = self.page.goto(url)
        except Exception as error:  # a navigation the page started itself  # noqa: BLE001
            return [f"{url}: {str(error).splitlines()[0]}"]
        self.page.wait_for_load_state("load")
        problems = [f"status {response.status}"] if response and response.status >= 400 else []
        problems += self.page.evaluate("window.__xss || []")
        problems += [f"dialog {m}" for m in self.dialogs] + self.console
        problems += self.page.evaluate(DOM_SCAN)
        self.text = text = self.page.inner_text("body")
        problems += [f"{token} not shown" for token in expect if token not in text]
        return [f"{url}: {p}" for p in problems]


def test_no_payload_runs_on_any_page(page, live_server, hostile_community):
    wire = Tripwire(page)
    rows = hostile_community
    problems = []
    for row in rows:
        token, thread = row["token"], row["thread"]
        problems += wire.visit(reverse("thread", args=[thread.pk, thread.slug]),
                               expect=(token,))
        problems += wire.visit(reverse("profile", args=[row["author"].username]),
                               expect=(token,))
        problems += wire.visit(reverse("purpose:project", args=[row["project"].slug]),
                               expect=(token,))
        problems += wire.visit(
            reverse("purpose:project_contributions", args=[row["project"].slug]),
            expect=(token,))
        problems += wire.visit(
            reverse("partners:organisation", args=[row["organisation"].slug]),
            expect=(token,))
        partner_thread = row["partner_thread"]
        problems += wire.visit(reverse("thread", args=[partner_thread.pk, partner_thread.slug]),
                               expect=(token,))
        # Found by its token (the title's payload comes back highlighted), then searched
        # for by the payload itself (echoed into the search box and the empty-result text).
        problems += wire.visit(f"{reverse('search')}?q={token}", expect=(token,))
        problems += wire.visit(f"{reverse('search')}?{urlencode({'q': row['payload']})}")
    pages = [reverse("purpose:purpose"), reverse("partners:organisations")]
    pages += [f"{reverse('home')}?page={n}" for n in (1, 2, 3)]
    pages += [f"{reverse('purpose:projects')}?page={n}" for n in (1, 2, 3)]
    pages += [f"{reverse('home')}?tab=latest&page={n}" for n in (1, 2, 3, 4, 5, 6)]
    # Each list page shows its payloads: between them every token appears.
    seen = ""
    for url in pages:
        problems += wire.visit(url)
        seen += wire.text
    missing = [row["token"] for row in rows if row["token"] not in seen]
    assert not missing, f"tokens missing from every list page: {missing}"
    only_own_host(page, live_server)
    assert not problems, "\n".join(problems[:60])


def test_the_corpus_is_large_enough():
    assert len(PAYLOADS) >= 50
    assert len(set(PAYLOADS)) == len(PAYLOADS)


def test_aligned_table_columns_show_aligned_without_breaking_the_policy(page, live_server,
                                                                         db):
    """A Markdown table's column alignment reaches the reader as our classes: an inline
    ``style`` (what markdown-it writes) would be blocked by the Content-Security-Policy."""
    space = factories.SpaceFactory()
    thread = conversations.thread_create(
        author=factories.UserFactory(), space=space, kind=Thread.Kind.DISCUSSION,
        title="Hop schedule", body="| hop | grams | minute |\n|:--|:-:|--:|\n| Saaz | 20 | 60 |")
    wire = Tripwire(page)
    problems = wire.visit(reverse("thread", args=[thread.pk, thread.slug]), expect=("Saaz",))
    assert not problems, problems
    aligned = page.evaluate("""() => [...document.querySelectorAll('.post-body td')]
        .map(td => getComputedStyle(td).textAlign)""")
    assert aligned == ["left", "center", "right"]
    assert page.locator(".post-body [style]").count() == 0
