"""Tag names: letters and emoji of any script, one spelling per tag.

A typed tag is normalised (NFKC, case folded, spaces to hyphens) and keeps letters, digits,
combining marks, symbols such as emoji (with their joiners and variation selectors),
hyphens and underscores; anything else is dropped, as ``slugify`` did for the ASCII tags
that already exist (their names come out unchanged). Two kinds of input are refused with a
sentence rather than silently changed: markup (``<b>x</b>``) and a word that mixes Latin,
Cyrillic or Greek letters (``yеast`` with a Cyrillic "е"), which would pass for another tag.
"""
import re
import unicodedata

from django.utils.html import strip_tags
from django.utils.translation import gettext

MAX_LENGTH = 40
_MARKUP = re.compile(r"<[^>]*>|&[#\w]+;")
_JOINERS = {"\u200d"}  # zero-width joiner, inside emoji sequences
_LOOKALIKE_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK"}


def _kept(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "LNM" or category == "So" or ch in "-_" or ch in _JOINERS


def tag_name(typed: str) -> str:
    """The tag a typed name means ("" when nothing of it is left)."""
    text = unicodedata.normalize("NFKC", typed or "").casefold().strip()
    text = re.sub(r"[\s/]+", "-", text)
    text = "".join(ch for ch in text if _kept(ch))
    return re.sub(r"-{2,}", "-", text).strip("-_")[:MAX_LENGTH]


def _scripts(name: str) -> set[str]:
    found = set()
    for ch in name:
        if unicodedata.category(ch).startswith("L"):
            found.add(unicodedata.name(ch, "UNKNOWN").split()[0])
    return found


def problem(typed: str) -> str:
    """Why a typed tag is refused ("" when it is fine)."""
    if _MARKUP.search(typed or ""):
        plain = tag_name(strip_tags(typed))
        if plain:
            return gettext("Tags are plain words: write “%(plain)s” rather than "
                           "“%(typed)s”.") % {"plain": plain, "typed": typed}
        return gettext("Tags are plain words, not markup: “%(typed)s”.") % {"typed": typed}
    if len(_scripts(tag_name(typed)) & _LOOKALIKE_SCRIPTS) > 1:
        return gettext("“%(typed)s” mixes letters of different alphabets; type it in "
                       "one.") % {"typed": typed}
    return ""


def problems(names) -> str:
    """The first refusal among ``names``, or ""."""
    return next((found for found in (problem(name) for name in names) if found), "")
