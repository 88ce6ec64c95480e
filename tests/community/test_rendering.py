"""Member-written markdown is hostile until sanitised."""
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from community import rendering
from community.services.conversations import render_body

from .. import factories


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "<img src=x onerror=alert(1)>",
        "![pixel](data:image/png;base64,AAAA)",
        '<a href="https://x.test" onclick="steal()">x</a>',
        "[x](vbscript:msgbox)",
        "<iframe src=https://evil.test></iframe>",
    ],
)
def test_no_script_handlers_or_dangerous_urls(body):
    tags = _elements(rendering.render(body).html)
    names = {name for name, _ in tags}
    assert not names & {"script", "iframe", "object", "embed", "style"}
    for _, attrs in tags:
        for attr, value in attrs:
            assert not attr.startswith("on"), attr
            assert not (value or "").strip().lower().startswith(
                ("javascript:", "vbscript:", "data:")
            ), value


def _elements(html):
    """(tag, attributes) of every element a browser would build from ``html``."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found


def test_links_are_nofollow_ugc():
    html = rendering.render("[shop](https://example.com/x)").html
    assert 'href="https://example.com/x"' in html
    assert 'rel="nofollow ugc noopener"' in html


def test_images_only_from_our_uploads():
    ours = rendering.render("![tent](/media/posts/tent.png)").html
    theirs = rendering.render("![tracker](https://evil.test/pixel.gif)").html
    assert '<img src="/media/posts/tent.png" alt="tent">' in ours
    assert "<img" not in theirs
    assert 'href="https://evil.test/pixel.gif"' in theirs


def test_markdown_features_survive_sanitising():
    html = rendering.render("**bold** _it_ ~~gone~~\n\n```python\nx = 1\n```\n\n> quoted").html
    for fragment in ("<strong>bold</strong>", "<em>it</em>", "<s>gone</s>",
                     'class="language-python"', "<blockquote>"):
        assert fragment in html


@pytest.mark.django_db
def test_mentions_link_existing_members_only():
    factories.UserFactory(username="ben")
    rendered = render_body("thanks @Ben and @nobody, see `@ben` in code")
    assert rendered.mentions == {"ben"}
    assert '<a href="/u/ben/" class="mention"' in rendered.html
    assert "@nobody" in rendered.html and "/u/nobody/" not in rendered.html


def test_render_version_is_recorded():
    assert rendering.render("hi").version == rendering.RENDER_VERSION


HOSTILE_FRAGMENTS = [
    "<script>", "</script>", "<img src=x onerror=alert(1)>", "javascript:", "JaVaScRiPt:",
    "data:text/html,", "vbscript:", "<svg onload=alert(1)>", "<a href='javascript:x'>",
    "[x](javascript:alert(1))", "![x](javascript:alert(1))", "<iframe>", "<style>",
    "\" onmouseover=\"", "&#106;avascript:", "<math><mi xlink:href=x>", "`", "*", "_", "[",
    "]", "(", ")", "<", ">", "\n", "\n\n", "> ", "```\n", "    ", "@ben", "|", "-",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(HOSTILE_FRAGMENTS), st.text(max_size=12)),
                max_size=25))
def test_no_rendered_post_contains_executable_script(parts):
    html = rendering.render("".join(parts)).html
    for tag, attrs in _elements(html):
        assert tag in rendering.ALLOWED_TAGS, tag
        for attr, value in attrs:
            assert not attr.startswith("on"), attr
            if attr in {"href", "src"}:
                value = (value or "").strip().lower()
                assert value.startswith(("http://", "https://", "mailto:", "/", "#")) or (
                    ":" not in value.split("/")[0]
                ), value
