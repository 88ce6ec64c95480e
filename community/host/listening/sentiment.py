"""How a post speaks, read on this server: tone, the brand, sarcasm. Plain functions of text.

The tone is VADER's (``vaderSentiment``: Hutto & Gilbert's rule-based analyser, its
lexicon shipped inside the package, so no text leaves the server and nothing is fetched at
run time). VADER is made for short social text, so a post is scored sentence by sentence
and its tone is the mean of its sentences' compound scores (-1 .. 1); a long technical
answer is not pushed to an extreme by its length. Two small changes to VADER's lexicon
(:data:`DOMAIN_LEXICON`): words for things that stop working ("bricks", "leaking"), which
it lacks, and brewing words it reads as feelings ("bitter", "strong", "kill the yeast"),
which here describe beer, not a mood.

*About the brand*: a sentence naming one of the brand's words (the site's name, the
products' names and lines, the hosts' own words: ``signals.brand_terms``). Its tone towards
the brand is the mean score of those sentences and of the sentence after each.

*Likely sarcastic* (:func:`sarcasm_reasons`): praise followed by "another" or "again"
("great, another firmware update..."), a negative word beside a smiling emoji or an eye
roll, praise that opens a sentence whose words are negative ("Wonderful, it leaks"), and
a brand slogan quoted back in a negative post.
"""
import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext_lazy
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

VERSION = 1

# The bands the distribution and the pages use, on a post's tone (VADER's own cut-offs,
# ±0.05, and ±0.5 for "strongly").
BANDS = (
    ("strongly_negative", "Strongly negative", -1.01, -0.5),
    ("negative", "Negative", -0.5, -0.05),
    ("neutral", "Neutral", -0.05, 0.05),
    ("positive", "Positive", 0.05, 0.5),
    ("strongly_positive", "Strongly positive", 0.5, 1.01),
)
# A post whose brand sentences average at or below this is negative about the brand.
BRAND_NEGATIVE = -0.3
# A word this negative in the lexicon counts as a negative word for the sarcasm rules.
NEGATIVE_WORD = -1.3
# A smiling emoji reads as sarcasm on a sentence this negative without it.
SMILE_AT_NEGATIVE = -0.45

DOMAIN_LEXICON = {
    # Things that stop working; VADER's lexicon has none of these.
    "bricks": -2.5, "bricked": -2.8, "bricking": -2.5, "leaks": -2.0, "leaking": -2.0,
    "leaky": -2.0, "rusted": -1.5, "rusty": -1.3, "cracked": -1.4, "junk": -2.0,
    "refund": -1.3, "unusable": -2.3, "overpriced": -1.8, "flimsy": -1.6,
    # Brewing words VADER reads as feelings: here they describe beer or yeast.
    "bitter": 0.0, "bitterness": 0.0, "sweet": 0.0, "sweetness": 0.0, "strong": 0.0,
    "weak": 0.0, "harsh": 0.0, "kill": 0.0, "kills": 0.0, "killed": 0.0, "killing": 0.0,
    "dead": 0.0, "died": 0.0, "dry": 0.0, "funky": 0.0, "stuck": -0.5,
    # "Support" is the shop's service desk here, not encouragement.
    "support": 0.0, "supported": 0.0,
}

REASONS = {
    "brand_negative": gettext_lazy("Negative about the brand"),
    "great_another": gettext_lazy("Praise followed by “another” or “again”: likely sarcastic"),
    "mixed_emoji": gettext_lazy("Negative words beside a smiling emoji or an eye roll: likely "
                                "sarcastic"),
    "praise_negative": gettext_lazy("Opens with praise, then negative words: likely sarcastic"),
    "slogan": gettext_lazy("Quotes a brand slogan in a negative post: likely sarcastic"),
}
SARCASM_REASONS = frozenset(REASONS) - {"brand_negative"}

_PRAISE = (r"great|wonderful|fantastic|brilliant|perfect|lovely|awesome|amazing|superb|"
           r"excellent|nice|thanks|thank you|cheers|love it|just great|oh joy|yay")
_GREAT_ANOTHER = re.compile(
    rf"\b(?:oh,?\s+)?(?:{_PRAISE})\b[\s,!.…:;\-–—]*(?:just\s+)?(?:yet\s+)?"
    r"(?:another|again|more\s+of|one\s+more)\b", re.IGNORECASE)
_JUST_WHAT = re.compile(r"\bjust what (?:i|we) (?:always )?(?:needed|wanted)\b|"
                        r"\bthanks for nothing\b|\byeah,? right\b|"
                        r"\bwhat could (?:possibly )?go wrong\b", re.IGNORECASE)
_OPENS_WITH_PRAISE = re.compile(rf"^\W*(?:oh,?\s+)?(?:{_PRAISE})\s*[,!.…:;\-–—]+\s*\S",
                                re.IGNORECASE)
_POSITIVE_EMOJI = re.compile(
    "[\U0001F600-\U0001F60A\U0001F60D\U0001F642\U0001F917\U0001F44D\U0001F389\u263A\u2764"
    "\U0001F643\U0001F644]|(?<![\\w/])[:;=]-?[)D](?!\\w)")
_EYE_ROLL = re.compile("[\U0001F643\U0001F644]")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")
_TAG = re.compile(r"<[^>]+>")
_CODE = re.compile(r"<pre\b.*?</pre>|<code\b.*?</code>|```.*?```|`[^`\n]*`",
                   re.IGNORECASE | re.DOTALL)
_LINK = re.compile(r"https?://\S+")
_QUOTED_LINE = re.compile(r"^\s*>.*$", re.MULTILINE)
_BLOCKQUOTE = re.compile(r"<blockquote\b.*?</blockquote>", re.IGNORECASE | re.DOTALL)
_WORD = re.compile(r"[\w'’]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def analyser() -> SentimentIntensityAnalyzer:
    """VADER with :data:`DOMAIN_LEXICON` (read once per process from the package's files)."""
    vader = SentimentIntensityAnalyzer()
    vader.lexicon.update(DOMAIN_LEXICON)
    return vader


@dataclass
class Reading:
    sentiment: float
    brand_sentiment: float | None
    about_brand: bool
    sarcasm: bool
    reasons: list[str] = field(default_factory=list)

    @property
    def needs_touch(self) -> bool:
        return bool(self.reasons)


def band_of(score: float) -> str:
    for key, _label, low, high in BANDS:
        if low < score <= high or (key == "strongly_negative" and score <= high):
            return key
    return "neutral"


def plain_text(body: str, *, html_body: bool) -> tuple[str, str]:
    """The author's own words (code, links and quotes of others left out) and the whole
    text with quotes kept (where a quoted slogan is looked for)."""
    text = _CODE.sub(" ", body or "")
    if html_body:
        own = _BLOCKQUOTE.sub(" ", text)
        own, whole = (html.unescape(_TAG.sub(" ", t)) for t in (own, text))
    else:
        own, whole = _QUOTED_LINE.sub(" ", text), text
    return _LINK.sub(" ", own), _LINK.sub(" ", whole)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def _norm(text: str) -> str:
    return _SPACES.sub(" ", " ".join(_WORD.findall(text.lower()))).strip()


def brand_pattern(terms) -> re.Pattern | None:
    """One expression finding any of ``terms`` as whole words (None for no terms)."""
    cleaned = sorted({_norm(t) for t in terms if len(_norm(t)) >= 3}, key=len, reverse=True)
    if not cleaned:
        return None
    # Words of a term apart by anything but letters: "Anheuser-Busch", "anheuser busch".
    alternatives = "|".join(r"[\W_]+".join(map(re.escape, t.split())) for t in cleaned)
    return re.compile(rf"(?<![\w]){'(?:' + alternatives + ')'}(?![\w])", re.IGNORECASE)


def _negative_words(sentence: str) -> bool:
    lexicon = analyser().lexicon
    return any(lexicon.get(w.lower(), 0) <= NEGATIVE_WORD for w in _WORD.findall(sentence))


def _praise_then_more(sentence: str) -> bool:
    """"Great, another ..." followed by something negative ("... that bricks my kettle");
    "thanks again" only beside negative words."""
    match = _GREAT_ANOTHER.search(sentence)
    if match is None:
        return False
    rest = sentence[match.end():]
    if match.group(0).lower().rstrip().endswith("again"):
        return _negative_words(sentence)
    return _negative_words(rest) or analyser().polarity_scores(rest)["compound"] < -0.05


def _smiling_at_bad_news(sentence: str) -> bool:
    """A smile on a sentence whose words, without it, are clearly negative ("It broke on
    day two :)"); a smile that softens a joke or a mild word ("crazy talk :-)") is not."""
    if not _POSITIVE_EMOJI.search(sentence) or not _negative_words(sentence):
        return False
    words_only = _POSITIVE_EMOJI.sub(" ", sentence)
    return analyser().polarity_scores(words_only)["compound"] <= SMILE_AT_NEGATIVE


def sarcasm_reasons(own: str, whole: str, *, slogans=(), score: float = 0.0) -> list[str]:
    """Why ``own`` (the author's words) reads as sarcastic, as codes of :data:`REASONS`."""
    found = []
    parts = sentences(own)
    if _JUST_WHAT.search(own) or any(_praise_then_more(s) for s in parts):
        found.append("great_another")
    if any(_smiling_at_bad_news(s) for s in parts) or (_EYE_ROLL.search(own) and score < 0):
        found.append("mixed_emoji")
    if any(_OPENS_WITH_PRAISE.search(s) and _negative_words(s)
           and analyser().polarity_scores(_OPENS_WITH_PRAISE.sub("", s))["compound"] < -0.2
           for s in parts):
        found.append("praise_negative")
    normalised = _norm(whole)
    if slogans and _negative_words(own) and any(
            _norm(slogan) and _norm(slogan) in normalised for slogan in slogans):
        found.append("slogan")
    return found


def read(body: str, *, html_body: bool = False, brand: re.Pattern | None = None,
         slogans=()) -> Reading:
    """Score one post's text (``brand``: :func:`brand_pattern` of the brand's words)."""
    own, whole = plain_text(body, html_body=html_body)
    parts = sentences(own)
    vader = analyser()
    scores = [vader.polarity_scores(s)["compound"] for s in parts]
    score = round(sum(scores) / len(scores), 4) if scores else 0.0
    # A sentence naming the brand, and the one after it ("It leaks. Awful."), speak of it.
    named = {i for i, s in enumerate(parts) if brand is not None and brand.search(s)}
    brand_scores = [scores[i] for i in sorted(named | {i + 1 for i in named if i + 1 < len(parts)})]
    brand_score = round(sum(brand_scores) / len(brand_scores), 4) if named else None
    reasons = []
    if brand_score is not None and brand_score <= BRAND_NEGATIVE:
        reasons.append("brand_negative")
    sarcastic = sarcasm_reasons(own, whole, slogans=slogans, score=score)
    reasons += sarcastic
    return Reading(sentiment=score, brand_sentiment=brand_score,
                   about_brand=brand_score is not None, sarcasm=bool(sarcastic),
                   reasons=reasons)
