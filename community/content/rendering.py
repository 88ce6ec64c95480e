"""Markdown to safe HTML, at write time.

Posts are rendered once when written (``Post.body_html``) with markdown-it-py's
``js-default`` preset, which ignores raw HTML, then sanitised with nh3 against an allowlist.
The stored ``render_version`` says which rules produced the HTML: bump ``RENDER_VERSION``
when the rules change and ``manage.py rerender_posts`` brings old posts up to date.

Hostile input is expected: no script, no event handlers, no ``javascript:``/``data:`` URLs,
links get ``rel="nofollow ugc noopener"``, and images are shown only when they come from our
own uploads (``MEDIA_URL``); any other image becomes a plain link.

A member's photo is written ``![alt](upload:<key>)`` (``services.media``): the body names the
upload, not where it is stored, so a change of storage (another bucket, a CDN) is one
``rerender_posts``, and only photos that really were uploaded show. The look-up given to
:func:`render` finds the stored sizes (one query a render, at write time) and the photo
becomes an ``<img>`` with ``srcset``/``sizes``, its width and height (no layout shift),
``loading="lazy"`` and the alt text, in a link to its largest size.
"""
import functools
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import unquote

import nh3
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

from community.content import emoji

# 2: images only from addresses shaped like our uploads' names; 3: table alignment as a
# class (the Content-Security-Policy allows no inline style); 4: photos (``upload:<key>``)
# as responsive images linked to their largest size; 5: emoji shortcodes (``:smile:``).
RENDER_VERSION = 5

UPLOAD_SCHEME = "upload:"
UPLOAD_KEY = "[0-9a-f]{24}"
_UPLOAD_REF = re.compile(rf"{UPLOAD_SCHEME}({UPLOAD_KEY})")
# How wide a photo is shown: the whole column on a phone, at most the post's measure.
IMAGE_SIZES = "(max-width: 48rem) 100vw, 48rem"
IMAGE_CLASS = "post-image"

MENTION_RE = re.compile(r"(?<![\w@/.])@([A-Za-z0-9_]{2,30})\b")

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "img", "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead", "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title", "srcset", "sizes", "width", "height", "loading",
            "decoding"},
    "code": {"class"},
    "th": {"class"},
    "td": {"class"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


@dataclass
class Upload:
    """A stored photo as the renderer needs it: its alt text and its sizes, smallest
    first, as (address, width, height)."""

    alt: str
    sources: list[tuple[str, int, int]]


@dataclass
class Rendered:
    html: str
    text: str
    mentions: set[str] = field(default_factory=set)
    version: int = RENDER_VERSION


def mention_candidates(body: str) -> set[str]:
    """Handles written as ``@name`` (lower-cased), before knowing which ones exist."""
    return {m.lower() for m in MENTION_RE.findall(body or "")}


# The names uploads are stored under, below MEDIA_URL: a folder or two of plain names and a
# file the server named (``community.content.images``: random hex and the extension it re-encoded
# to; ``avatars/<id>/<name>``). Nothing else under MEDIA_URL is an image of ours.
_UPLOAD_NAME = re.compile(r"(?:[A-Za-z0-9_-]{1,64}/){1,3}[A-Za-z0-9_-]{1,64}"
                          r"\.(?:png|jpe?g|gif|webp)", re.I)


def _decoded(src: str) -> str | None:
    """``src`` percent-decoded until nothing is left to decode (None if it never ends)."""
    for _ in range(8):
        plain = unquote(src)
        if plain == src:
            return plain
        src = plain
    return None


def _is_upload(src: str) -> bool:
    """Whether an image address is one of our uploads, and only that: a browser decodes
    ``%2e%2e`` and ``\\`` and resolves ``..``, so an address that needs decoding or
    normalising (or has a query, a fragment or an empty segment) is refused, and what is
    left must be shaped like an upload's name."""
    media = settings.MEDIA_URL
    if not src.startswith(media) or _decoded(src) != src:
        return False
    rest = src[len(media):]  # MEDIA_URL may be a storage's absolute address (a bucket, a CDN)
    if any(char in src for char in "\\?#") or posixpath.normpath(f"/{rest}") != f"/{rest}":
        return False
    return bool(_UPLOAD_NAME.fullmatch(rest))


_SRCSET_ITEM = re.compile(r"(\S+) ([1-9][0-9]{0,4})w")


def _srcset_ok(value: str) -> bool:
    """Every candidate of a ``srcset`` is one of our uploads at a plain width."""
    items = [item.strip() for item in value.split(",")]
    matches = [_SRCSET_ITEM.fullmatch(item) for item in items]
    return 0 < len(items) <= 8 and all(m and _is_upload(m.group(1)) for m in matches)


_IMG_VALUES = {
    "srcset": _srcset_ok,
    "sizes": lambda value: value == IMAGE_SIZES,
    "width": lambda value: bool(re.fullmatch(r"[1-9][0-9]{0,4}", value)),
    "height": lambda value: bool(re.fullmatch(r"[1-9][0-9]{0,4}", value)),
    "loading": lambda value: value == "lazy",
    "decoding": lambda value: value == "async",
}


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if tag == "img" and attr == "src" and not _is_upload(value):
        return None
    if tag == "img" and attr in _IMG_VALUES and not _IMG_VALUES[attr](value):
        return None
    if attr == "class" and not (
            re.fullmatch(r"(language-[\w+-]{1,30}|mention)", value)
            or (tag == "a" and value == IMAGE_CLASS)
            or (tag in {"th", "td"} and value in ALIGN_CLASSES.values())):
        return None
    return value


# A table column's alignment (``| :--: |``) as one of our classes: markdown-it writes it as a
# ``style`` attribute, which the Content-Security-Policy (no inline style) would block.
ALIGN_CLASSES = {f"text-align:{side}": f"align-{side}" for side in ("left", "right", "center")}


def _alignment_rule(state):
    for tok in state.tokens:
        if tok.type in {"th_open", "td_open"} and tok.attrs.get("style"):
            side = ALIGN_CLASSES.get(str(tok.attrs.pop("style")))
            if side:
                tok.attrs["class"] = side


def _in_link(tokens, idx) -> bool:
    depth = 0
    for tok in tokens[:idx]:
        depth += tok.type == "link_open"
        depth -= tok.type == "link_close"
    return depth > 0


def _photo(upload: Upload, alt: str, *, linked: bool) -> str:
    """A stored photo as a responsive image, in a link to its largest size (unless the
    member already put it in a link of their own)."""
    sources = upload.sources
    shown = next((s for s in sources if max(s[1], s[2]) >= 960), sources[-1])
    srcset = ", ".join(f"{url} {width}w" for url, width, _ in sources)
    img = (f'<img src="{escape(shown[0])}" srcset="{escape(srcset)}" sizes="{IMAGE_SIZES}" '
           f'width="{shown[1]}" height="{shown[2]}" alt="{escape(alt)}" loading="lazy" '
           'decoding="async">')
    if linked:
        return img
    return f'<a href="{escape(sources[-1][0])}" class="{IMAGE_CLASS}">{img}</a>'


def _image_rule(self, tokens, idx, options, env):
    """Images from elsewhere render as a link to them: no tracking pixels, no hotlinking."""
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = self.renderInlineAsText(token.children or [], options, env) or src
    if src.startswith(UPLOAD_SCHEME):
        upload = (env.get("uploads") or {}).get(src[len(UPLOAD_SCHEME):])
        if upload is None or not upload.sources:  # not ours, or not (or no longer) stored
            return nh3.clean_text(alt if alt != src else "")
        alt = alt if alt != src else upload.alt
        return _photo(upload, alt, linked=_in_link(tokens, idx))
    if _is_upload(src):
        return self.image(tokens, idx, options, env)
    escaped_alt = nh3.clean_text(alt)
    if not src:
        return escaped_alt
    return f'<a href="{nh3.clean_text(src)}">{escaped_alt}</a>'


def _emoji_rule(state):
    """A known ``:shortcode:`` in text (not in code, not in a link's address) becomes its
    emoji (``community.content.emoji``)."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        for tok in block.children:
            if tok.type == "text" and ":" in tok.content:
                tok.content = emoji.replace_shortcodes(tok.content)


def _mention_rule(state):
    """Turn ``@handle`` into a profile link when the handle is in ``env["known"]``."""
    known, found = state.env.get("known") or (), state.env.setdefault("found", set())
    if not known:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        link_depth = 0
        for tok in block.children:
            if tok.type == "link_open":
                link_depth += 1
            elif tok.type == "link_close":
                link_depth -= 1
            if tok.type != "text" or link_depth or "@" not in tok.content:
                children.append(tok)
                continue
            pos = 0
            for match in MENTION_RE.finditer(tok.content):
                handle = match.group(1).lower()
                if handle not in known:
                    continue
                found.add(handle)
                if match.start() > pos:
                    text = Token("text", "", 0)
                    text.content = tok.content[pos:match.start()]
                    children.append(text)
                link = Token("link_open", "a", 1)
                link.attrs = {
                    "href": reverse("profile", kwargs={"username": handle}),
                    "class": "mention",
                }
                label = Token("text", "", 0)
                label.content = match.group(0)
                children.extend([link, label, Token("link_close", "a", -1)])
                pos = match.end()
            if pos < len(tok.content):
                rest = Token("text", "", 0)
                rest.content = tok.content[pos:]
                children.append(rest)
        block.children = children


@functools.cache
def _parser() -> MarkdownIt:
    """One parser for every render (building one costs more than rendering a post);
    what differs per post (the known handles) travels in the parse ``env``."""
    md = MarkdownIt("js-default")
    md.add_render_rule("image", _image_rule)
    md.core.ruler.push("emoji", _emoji_rule)
    md.core.ruler.push("mentions", _mention_rule)
    md.core.ruler.push("alignment", _alignment_rule)
    return md


def _plain_text(tokens: Iterable[Token]) -> str:
    parts = []
    for tok in tokens:
        if tok.type == "inline":
            parts.append("".join(c.content for c in tok.children or [] if c.content))
        elif tok.type in {"code_block", "fence"}:
            parts.append(tok.content)
    return "\n".join(p for p in parts if p)


def _sanitise(html: str) -> str:
    """The one allowlist every stored HTML passes: ours from Markdown and imported HTML."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     attribute_filter=_attribute_filter, url_schemes=URL_SCHEMES,
                     link_rel="nofollow ugc noopener", strip_comments=True)


def render(body: str, *, existing_handles: Callable[[set[str]], set[str]] | None = None,
           uploads: Callable[[set[str]], dict[str, Upload]] | None = None) -> Rendered:
    """Render member-written markdown to sanitised HTML.

    ``existing_handles`` receives the ``@handles`` found in the text and returns those that
    belong to members; only they become links and mentions. ``uploads`` receives the keys
    of the ``upload:<key>`` photos the text names and returns those that may show.
    """
    body = (body or "").replace("\x00", "")
    candidates = mention_candidates(body)
    known = existing_handles(candidates) if (existing_handles and candidates) else set()
    keys = set(_UPLOAD_REF.findall(body))
    found = uploads(keys) if (uploads and keys) else {}
    env: dict = {"known": known, "found": set(), "uploads": found}
    md = _parser()
    tokens = md.parse(body, env)
    raw_html = md.renderer.render(tokens, md.options, env)
    html = _sanitise(raw_html)
    return Rendered(html=html, text=_plain_text(tokens), mentions=env["found"])


_OLD_TAGS = re.compile(r"<(/?)(b|i|strike)(?:\s[^>]*)?>", re.I)
_OLD_NAMES = {"b": "strong", "i": "em", "strike": "del"}
_TAG = re.compile(r"<[^>]*>")
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
_ATTR = re.compile(r"""\b(src|alt)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def _img_attrs(match) -> dict[str, str]:
    """The ``src`` and ``alt`` of the ``<img>`` tag ``_IMG_TAG`` matched."""
    return {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
            for m in _ATTR.finditer(match.group(0))}


def plain_of(html_text: str) -> str:
    """Stored post HTML as one line of plain text, for excerpts: a photo reads as its
    description, tags go, entities are decoded and runs of white space become one space
    (the Markdown source would show ``![...](upload:...)`` and asterisks)."""
    text = _IMG_TAG.sub(lambda match: f" {_img_attrs(match).get('alt', '')} ", html_text or "")
    return " ".join(unescape(_TAG.sub(" ", text)).split())


def _image_to_link(match) -> str:
    attrs = _img_attrs(match)
    src = attrs.get("src", "")
    if _is_upload(src):
        return match.group(0)
    if not src:
        return ""
    label = nh3.clean_text(attrs.get("alt") or "image")
    return f'<a href="{nh3.clean_text(src)}">{label}</a>'


def sanitize_html(source: str) -> Rendered:
    """Imported HTML (a Stack Exchange post body) made as safe as our own rendering: the
    same allowlist, link rel and URL schemes; images not from our uploads lose their source.
    """
    import html as html_lib

    source = (source or "").replace("\x00", "")
    # Old forum HTML says <b> and <i>; images from other hosts become links to them.
    marked = _OLD_TAGS.sub(lambda m: f"<{m.group(1)}{_OLD_NAMES[m.group(2).lower()]}>", source)
    marked = _IMG_TAG.sub(_image_to_link, marked)
    clean = _sanitise(marked)
    # The text (for search) from the cleaned HTML: its tags are well formed by now.
    text = html_lib.unescape(_TAG.sub(" ", clean))
    return Rendered(html=clean, text=" ".join(text.split()))


# The only two places that tell Django a string is markup (tests/test_security_basics.py
# checks that no other module or template does).

def stored_markup(html: str):
    """HTML that :func:`render` or :func:`sanitize_html` produced and the database stored."""
    # Sanitised by nh3 at write time.
    return mark_safe(html or "")  # noqa: S308  # nosec B703, B308


def highlighted(text: str, start: str, stop: str):
    """Plain ``text`` escaped, with the search's ``start``/``stop`` marks as ``<mark>``."""
    # Escaped first; only our <mark> tags are added.
    return mark_safe(  # noqa: S308  # nosec B703, B308
        escape(text).replace(start, "<mark>").replace(stop, "</mark>"))


def filled(html: str, values: dict[str, str]):
    """Template output rendered once and kept (escaped when it was rendered), each
    placeholder of ``values`` replaced by its per-request value, escaped here: how the
    speed layer's slots are served (``community.pages.slots.with_values``)."""
    for placeholder, value in values.items():
        html = html.replace(placeholder, escape(value))
    return mark_safe(html)  # noqa: S308  # nosec B703, B308
