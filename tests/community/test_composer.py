"""The composer: its toolbar and preview on every form members write in, the preview
rendered exactly as posting renders, emoji shortcodes and quoting a post into the reply."""
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from community.content import emoji, limits, rendering
from community.models import Post, Thread
from community.services import conversations, moderation

from .. import factories
from .test_post_images import _upload_photo

pytestmark = pytest.mark.django_db

PAYLOADS = Path(__file__).resolve().parents[1] / "browser" / "xss_payloads.txt"
PREVIEW = re.compile(r'<div class="post-body prose" dir="auto">(.*?)</div>\s*$', re.S)


def _thread(author=None, body="Looking for advice on mash temperatures."):
    author = author or factories.UserFactory()
    return conversations.thread_create(
        author=author, space=factories.SpaceFactory(), kind=Thread.Kind.DISCUSSION,
        title="Mash temperatures that work", body=body)


def _preview(client, body, **extra):
    return client.post(reverse("compose_preview"), {"body": body, **extra},
                       HTTP_HX_REQUEST="true")


def _shown(response) -> str:
    match = PREVIEW.search(response.content.decode())
    assert match, response.content.decode()
    return match.group(1)


def test_the_preview_is_what_posting_stores(client_as, member):
    factories.UserFactory(username="brewer")
    client = client_as(member)
    photo = _upload_photo(client).json()["markdown"]
    body = f"**Mash** at 67C, thanks @brewer :tada:\n\n{photo}\n\n<script>alert(1)</script>"
    response = _preview(client, body)
    assert response.status_code == 200
    shown = _shown(response)
    assert "<strong>Mash</strong>" in shown and "\U0001F389" in shown
    assert 'class="mention"' in shown and "<img" in shown and "srcset" in shown
    assert "<script" not in shown
    thread = _thread()
    reply = client.post(reverse("thread_reply", args=[thread.pk]), {"body": body})
    assert reply.status_code == 302
    post = Post.objects.filter(thread=thread, author=member).get()
    assert post.body_html == shown


def test_every_hostile_payload_comes_back_sanitised(client_as, member, monkeypatch):
    from community.views import composer

    monkeypatch.setattr(composer, "PREVIEWS_PER_MINUTE", 1000)  # the corpus, in a minute
    client = client_as(member)
    for line in PAYLOADS.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        payload = line.replace("\\n", "\n")
        response = _preview(client, payload)
        assert response.status_code == 200, payload
        shown = _shown(response)
        assert shown == conversations.render_body(payload.strip(), owners={member}).html
        for tag in re.findall(r"<[^>]*>", shown):  # the markup, not the escaped text
            name = re.match(r"</?([a-z0-9]+)", tag).group(1)
            assert name in rendering.ALLOWED_TAGS, (payload, tag)
            assert not re.search(r"\son\w+\s*=|javascript:|data:", tag, re.I), (payload, tag)


def test_a_text_too_long_to_post_is_too_long_to_preview(client_as, member):
    response = _preview(client_as(member), "a" * (limits.BODY_MAX + 1))
    assert response.status_code == 400
    assert "the most is" in response.content.decode()


def test_an_empty_preview_says_so(client_as, member):
    response = _preview(client_as(member), "   ")
    assert "Nothing to preview yet" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = _preview(client, "Hello")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_suspended_member_may_not_preview(client_as, member, host):
    moderation.suspend(actor=host, user=member, reason="Spam",
                       ends_at=timezone.now() + timedelta(days=2))
    response = _preview(client_as(member), "Hello")
    assert response.status_code == 403


def test_previews_are_rate_limited(client_as, member):
    from community.views import composer

    client = client_as(member)
    statuses = [_preview(client, "Hello").status_code
                for _ in range(composer.PREVIEWS_PER_MINUTE + 1)]
    assert statuses[:-1] == [200] * composer.PREVIEWS_PER_MINUTE
    assert statuses[-1] == 429


def test_without_javascript_preview_shows_the_reply_and_keeps_the_text(client_as, member):
    thread = _thread()
    client = client_as(member)
    response = client.post(reverse("thread_reply", args=[thread.pk]),
                           {"body": "_Lovely_ brew :beer:", "preview": "body"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<em>Lovely</em> brew \U0001F37A" in page  # the preview
    assert "_Lovely_ brew :beer:</textarea>" in page  # the text, kept
    assert not Post.objects.filter(thread=thread, author=member).exists()


def test_without_javascript_preview_on_the_ask_and_edit_forms(client_as, member):
    client = client_as(member)
    response = client.post(reverse("discuss"), {"title": "A title long enough",
                                                "body": "**Draft** text", "preview": "body"})
    assert response.status_code == 200
    assert "<strong>Draft</strong>" in response.content.decode()
    assert not Thread.objects.filter(title="A title long enough").exists()
    thread = _thread(author=member)
    post = thread.posts.get()
    response = client.post(reverse("post_edit", args=[post.pk]),
                           {"body": "**Changed**", "preview": "body"})
    assert "<strong>Changed</strong>" in response.content.decode()
    post.refresh_from_db()
    assert "Changed" not in post.body


@pytest.mark.parametrize("url", ["ask", "discuss"])
def test_the_composer_is_on_the_ask_and_discuss_forms(client_as, member, url):
    page = client_as(member).get(reverse(url)).content.decode()
    assert "<markdown-toolbar" in page and 'aria-label="Bold"' in page
    assert reverse("compose_preview") in page and 'aria-live="polite"' in page


def test_the_composer_is_on_the_reply_and_edit_forms(client_as, member):
    thread = _thread(author=member)
    client = client_as(member)
    for url in (thread.get_absolute_url(),
                reverse("post_edit", args=[thread.posts.get().pk])):
        page = client.get(url).content.decode()
        assert "<markdown-toolbar" in page and 'name="preview"' in page, url


def test_emoji_shortcodes_render_on_save_but_not_in_code():
    html = rendering.render("Great :fire: and :+1: but `:fire:` and :nope: stay").html
    assert "Great \U0001F525 and \U0001F44D" in html
    assert "<code>:fire:</code>" in html and ":nope:" in html
    link = rendering.render("[a](https://example.com/:fire:/)").html
    assert 'href="https://example.com/:fire:/"' in link  # addresses are left alone
    assert emoji.suggestions("sm") == [("smile", emoji.SHORTCODES["smile"])]
    assert len(emoji.suggestions("s", limit=3)) == 3


def test_quote_opens_the_reply_with_the_post_quoted(client_as, member):
    author = factories.UserFactory(username="asker")
    thread = _thread(author=author, body="Mash at 67C.\nThen sparge slowly.")
    post = thread.posts.get()
    page = client_as(member).get(
        f"{thread.get_absolute_url()}?reply_to={post.pk}&quote=1").content.decode()
    assert "&gt; Mash at 67C.\n&gt; Then sparge slowly.\n&gt;\n&gt; — @asker" in page
    assert f'reply_to={post.pk}&amp;quote=1#reply' in page  # each post's "Quote" link


def _suggest(client, key, q):
    return client.get(reverse("compose_suggest"), {"key": key, "q": q})


def test_mentions_suggest_members_by_handle_or_name_prefix(client_as, member):
    factories.UserFactory(username="maltster", display_name="Ada Malt",
                          email="ada@example.com")
    factories.UserFactory(username="brewer_bo", display_name="Malcolm Brew")
    factories.UserFactory(username="malt_gone", is_active=False)
    factories.UserFactory(username="hopper", display_name="Hop Head")
    client = client_as(member)
    found = _suggest(client, "@", "mal").json()["members"]
    assert [m["username"] for m in found] == ["brewer_bo", "maltster"]
    assert {"username": "maltster", "name": "Ada Malt"} in found
    response = _suggest(client, "@", "ada")
    assert "example.com" not in response.content.decode()  # never an address
    assert response.json()["members"][0]["username"] == "maltster"
    assert _suggest(client, "@", "").json() == {"members": []}


def test_mentions_are_limited(client_as, member, django_assert_max_num_queries):
    from community.views import composer

    for n in range(composer.SUGGESTIONS + 5):
        factories.UserFactory(username=f"kettle_{n:02d}")
    client = client_as(member)
    with django_assert_max_num_queries(6):
        found = _suggest(client, "@", "kettle_").json()["members"]
    assert len(found) == composer.SUGGESTIONS
    assert len(_suggest(client, "@", "k" * 500).json()["members"]) == 0


def test_mention_suggestions_are_for_signed_in_members_only(client):
    response = _suggest(client, "@", "a")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_emoji_suggestions_follow_the_typed_shortcode(client_as, member):
    found = _suggest(client_as(member), ":", "bee").json()["emoji"]
    assert found == [{"code": "beer", "emoji": "\U0001F37A"},
                     {"code": "beers", "emoji": "\U0001F37B"}]


def test_without_javascript_preview_on_project_texts_posts_nothing(client_as, host, member):
    from purpose import services as purpose_services
    from purpose.models import Contribution, ProjectUpdate

    project = purpose_services.project_propose(author=host, title="Harvest ale",
                                               goal="One recipe", description="Together")
    client = client_as(host)
    response = client.post(reverse("purpose:project_update", args=[project.slug]),
                           {"body": "**Brew day** is Saturday", "preview": "body"})
    assert response.status_code == 200
    assert "<strong>Brew day</strong>" in response.content.decode()
    assert not ProjectUpdate.objects.filter(project=project).exists()
    client = client_as(member)
    response = client.post(reverse("purpose:contribute", args=[project.slug]),
                           {"kind": "idea", "title": "Numbered bottles",
                            "body": "_By kitchen_", "preview": "body"})
    assert response.status_code == 200
    assert "<em>By kitchen</em>" in response.content.decode()
    assert not Contribution.objects.filter(project=project).exists()


def test_texts_that_keep_no_photos_offer_no_photo_tool(client_as, host):
    from purpose import services as purpose_services

    project = purpose_services.project_propose(author=host, title="Harvest ale",
                                               goal="One recipe", description="Together")
    page = client_as(host).get(project.get_absolute_url()).content.decode()
    assert "<markdown-toolbar" in page  # the update form has the composer
    assert "data-composer-image" not in page  # a photo there would not be kept


def test_the_plain_photo_field_is_served_for_browsers_without_javascript(client_as, member):
    """The composer's script hides the form's "Add a photo" (tests/browser/test_composer.py);
    the page itself serves it shown, inside the form, and it posts a photo."""
    from .test_post_images import _photo

    thread = _thread()
    client = client_as(member)
    page = client.get(thread.get_absolute_url()).content.decode()
    form = page.split('action="' + reverse("thread_reply", args=[thread.pk]), 1)[1]
    form = form.split("</form>", 1)[0]
    fields = re.findall(r'<div class="field[^"]*"([^>]*)>\s*<label for="id_(photo(?:_alt)?)">'
                        r"[^<]*</label>\s*(<input[^>]*>)", form)
    assert [name for _, name, _ in fields] == ["photo", "photo_alt"]
    assert all("hidden" not in div and "data-plain-photo" in tag and "disabled" not in tag
               for div, _, tag in fields)
    assert "<file-attachment" in form and "data-composer-image" in form  # for the script

    response = client.post(reverse("thread_reply", args=[thread.pk]), {
        "body": "My mash tun", "photo": _photo(), "photo_alt": "The mash tun steaming"})
    assert response.status_code == 302
    reply = Post.objects.get(thread=thread, author=member)
    assert reply.images.count() == 1 and 'alt="The mash tun steaming"' in reply.body_html
