"""Every string a person reads in a template is marked for translation.

The checker reads each template under ``templates/`` with Django's own lexer: the text
inside ``{% translate %}``, ``{% blocktranslate %}`` and comments is marked (or not shown),
every variable and tag is left out, and what remains is read as HTML. Visible text with a
letter in it (outside ``<script>``, ``<style>`` and ``<code>``: code is spelled the same in
every language), and the values of the attributes a
person reads or hears (alt, title, placeholder, aria-label), fail the test, naming the file,
the line and the words. ``make messages`` then finds every marked string.
"""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
HIDDEN = ("script", "style", "code")  # elements whose text is not prose to translate
SPOKEN_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}
# Words handed to an included template to show (``{% include "components/_empty_state.html"
# with title="..." %}``): marked as ``title=_("...")``.
SHOWN_ARGUMENTS = re.compile(r'\b(title|text|label|action_label|empty|help)="([^"]*)"')
LETTER = re.compile(r"[^\W\d_]")
# Block tags whose content is marked (translated) or never shown (a comment).
MARKED = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans",
          "comment": "endcomment"}

# Templates whose strings are not marked yet; each is taken off as it is converted (the
# test fails for a listed file that passes, so the list only shrinks).


class _VisibleText(HTMLParser):
    """Collects (line, text) of visible text and spoken attribute values with a letter."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden += 1
        for name, value in attrs:
            if name in SPOKEN_ATTRIBUTES and value and LETTER.search(value):
                self.found.append((self.getpos()[0], f'{name}="{value.strip()}"'))

    def handle_endtag(self, tag):
        if tag in HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and LETTER.search(data):
            self.found.append((self.getpos()[0], " ".join(data.split())))


def _marked_out(source: str) -> str:
    """``source`` with Django's tags, variables and comments blanked and the content of
    marking blocks taken out, keeping line numbers; the text a person sees remains."""
    out, closing = [], None
    for token in Lexer(source).tokenize():
        lines = "\n" * token.contents.count("\n")
        if closing is not None:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == closing:
                closing = None
            out.append(lines)
        elif token.token_type == TokenType.TEXT:
            out.append(token.contents)
        else:
            name = token.contents.split()[0] if token.contents.split() else ""
            closing = MARKED.get(name) if token.token_type == TokenType.BLOCK else None
            if name == "include" and token.token_type == TokenType.BLOCK:
                # A shown argument's words, as text the checker reads (one per element).
                out.extend(f"<i>{words}</i>" for _key, words in
                           SHOWN_ARGUMENTS.findall(token.contents) if LETTER.search(words))
            out.append(lines)
    return "".join(out)


def unmarked(source: str, *, text_only: bool = False) -> list[tuple[int, str]]:
    """(line, text) of every string in the template ``source`` a person would read that is
    not marked for translation (``text_only``: a plain-text template, every line read)."""
    visible = _marked_out(source)
    if text_only:
        return [(number, line.strip()) for number, line in enumerate(visible.splitlines(), 1)
                if LETTER.search(line)]
    parser = _VisibleText()
    parser.feed(visible)
    parser.close()
    return parser.found


def _templates():
    return sorted(path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.rglob("*")
                  if path.is_file() and path.suffix in (".html", ".txt"))


def _problems(name: str) -> list[tuple[int, str]]:
    return unmarked((TEMPLATES / name).read_text(), text_only=name.endswith(".txt"))


@pytest.mark.parametrize("name", _templates())
def test_template_strings_are_marked(name):
    problems = _problems(name)
    assert not problems, f"templates/{name}: text not marked for translation:\n" + "\n".join(
        f"  line {line}: {text}" for line, text in problems)


def test_the_checker_fails_on_a_planted_unmarked_string():
    planted = ('{% load i18n %}<p>{% translate "Saved" %}</p>\n'
               '<p>Your answer was accepted</p>\n'
               '<img src="x.png" alt="A kettle on the hob">\n'
               '<button aria-label="{% translate \'Close\' %}">×</button>\n'
               '<input placeholder="Search the community">\n'
               '{% include "components/_empty_state.html" with title="Nothing yet" '
               'text=_("Ask first") size="lg" %}\n')
    assert unmarked(planted) == [
        (2, "Your answer was accepted"),
        (3, 'alt="A kettle on the hob"'),
        (5, 'placeholder="Search the community"'),
        (6, "Nothing yet"),
    ]


def test_the_checker_passes_marked_hidden_and_wordless_text():
    clean = ('{% load i18n %}{# A note for whoever edits this #}\n'
             '{% comment %}Not shown to anyone{% endcomment %}\n'
             '<p>{% blocktranslate count n=total %}One reply{% plural %}{{ n }} replies'
             '{% endblocktranslate %}</p>\n'
             '<p>{{ post.author.name }} · {{ post.created_at|date }} &middot; 3/4</p>\n'
             '<script src="x.js">var words = "not read";</script>\n'
             '<style>.x::after { content: "nor this"; }</style>\n'
             '<p><code>--radius-sm</code> <code>grv_{{ token.prefix }}</code></p>\n'
             '<a title="{{ thread.title }}" href="{% url \'home\' %}">{% translate "Home" %}</a>\n')
    assert unmarked(clean) == []
    assert unmarked("Hello {{ name }},\n{% translate 'Thanks' %}\n", text_only=True) == [
        (1, "Hello ,")]
