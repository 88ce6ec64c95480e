"""Member-written markdown is hostile until sanitised."""
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from community.content import rendering
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


IMAGE_ADDRESS_TRICKS = [
    "/media/%2e%2e/any/path", "/media/%2E%2E/any/path.png", "/media/%252e%252e/x/y.png",
    "/media/%25252e%25252e/x/y.png", "/media/..%2fadmin/x.png", "/media/..%2Fadmin/x.png",
    "/media/posts/..%5c..%5cadmin.png", "/media\\..\\admin", "/media/\\evil.example/x.png",
    "/media//evil.example/x.png", "/media/./../x.png", "/media/posts/./a.png",
    "/media/posts/../../logout", "/media/x.png?y", "/media/posts/a.png?next=/logout",
    "/media/posts/a.png#frag", "/media/posts/a%2Epng", "/media/posts/", "/media/",
    "/media/%70osts/a.png", "/media/posts/a.png/..", "/media/posts/a.svg",
    "/media/posts/a.png.html", "/media/posts%2fa.png", "/media/a/b/c/d/e.png",
    "/media/&#46;&#46;/x/y.png", "/media/posts/%00.png", "/media/posts/a%20b.png",
]


@pytest.mark.parametrize("src", IMAGE_ADDRESS_TRICKS)
def test_image_addresses_that_leave_our_uploads_become_links(src):
    html = rendering.render(f"![x]({src})").html
    assert not [tag for tag, _ in _elements(html) if tag == "img"], html
    assert [tag for tag, _ in _elements(html) if tag == "a"], html  # a link to it instead
    imported = rendering.sanitize_html(f'<p><img src="{src}" alt="x"></p>').html
    assert not [tag for tag, _ in _elements(imported) if tag == "img"], imported


def test_a_real_upload_is_still_an_image():
    from community.content.images import clean_image

    name = clean_image(_png_upload(), max_side=64).name
    for src in (f"/media/posts/{name}", f"/media/avatars/12/{name}", "/media/posts/tent.png"):
        html = rendering.render(f"![tent]({src})").html
        assert ("img", [("src", src), ("alt", "tent")]) in _elements(html)
        imported = rendering.sanitize_html(f'<img src="{src}" alt="tent">').html
        assert ("img", [("src", src), ("alt", "tent")]) in _elements(imported)


def _png_upload():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    return SimpleUploadedFile("snap.png", out.getvalue(), content_type="image/png")


def test_table_alignment_is_a_class_not_an_inline_style():
    html = rendering.render("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |").html
    assert 'class="align-left"' in html and 'class="align-center"' in html
    assert 'class="align-right"' in html
    assert "style=" not in html
    # Imported HTML keeps only our alignment classes, never a style or another class.
    imported = rendering.sanitize_html(
        '<table><tr><td style="color:red" class="align-center">x</td>'
        '<td class="evil">y</td></tr></table>').html
    assert '<td class="align-center">x</td><td>y</td>' in imported
