"""What one body may hold, for everyone: size, lines and the markup whose parsing costs."""
import re
from dataclasses import dataclass, field
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from community.content import rendering

LINK_RE = re.compile(r"<a\s", re.I)
IMAGE_RE = re.compile(r"<img\s", re.I)

# What one body may hold, for everyone: these bound what rendering a post can cost.
# markdown-it looks for the end of every ``[`` (a link label) token by token, up to its
# ``]`` or the end of the paragraph: 20,000 characters of unclosed ``![`` took 1.2 s, and
# 500 ``[`` before a run of ``<a`` 2 s. So the label scans a body would need are counted
# first (linear, on the text markdown-it parses inline: code blocks and fences are not),
# along with emphasis markers and backtick runs, whose matching also costs.
BODY_MAX = 20000
MAX_LINES = 1000  # each line costs the block pass; so does each table cell ("|")
MAX_PIPES = 2000
MAX_BRACKETS = 1000  # "[" outside code: links and images
MAX_LABEL_SCAN = 25_000  # tokens markdown-it would step over looking for "]"
MAX_EMPHASIS = 2000
MAX_BACKTICK_RUNS = 1000
MAX_HANDLES = 50
TOO_COMPLEX = gettext_lazy("Your post has too much markup for us to show (%(what)s). Put "
                           "listings and logs in a code block (between lines of ```).")

# Where markdown-it's text rule stops: each is at least one step of a label scan.
_STEP = re.compile(r"\\.|[\n!#$%&*+\-:<=>@\[\]^_`{}~]", re.S)
_BACKTICKS = re.compile(r"`+")


@dataclass
class Checked:
    """A body that passed :func:`content_check`."""

    rendered: rendering.Rendered
    held: str = ""  # why it waits for a host ("" when it can be published)
    mentions: set[str] = field(default_factory=set)  # who to tell: new mentions only


@cache
def _blocks():
    """markdown-it's block pass alone (linear time): which text is inline markup, which is
    code."""
    from markdown_it import MarkdownIt

    return MarkdownIt("js-default").disable("inline")


def _label_scan(inline: str) -> int:
    """How many steps markdown-it's link-label search would take in one paragraph: for
    each ``[``, the steps to the ``]`` that closes it (to the end when none does)."""
    steps, cost, open_at = 0, 0, []
    for match in _STEP.finditer(inline):
        steps += 1
        mark = match.group()
        if mark == "[":
            open_at.append(steps)
        elif mark == "]" and open_at:
            cost += steps - open_at.pop()
    return cost + sum(steps - start for start in open_at)


def size_check(body: str) -> None:
    """Refuse, before any rendering, a body too long or with so many of the constructs
    that make rendering expensive that no real post has them."""
    if len(body) > BODY_MAX:
        raise ValidationError(
            gettext("Your post has %(count)s characters; the most is %(most)s.")
            % {"count": f"{len(body):,}", "most": f"{BODY_MAX:,}"}, code="too_long")
    lines = body.count("\n") + 1
    if lines > MAX_LINES:
        raise ValidationError(
            gettext("Your post has %(count)s lines; the most is %(most)s. Share a long log or "
                    "listing as a link instead.")
            % {"count": f"{lines:,}", "most": f"{MAX_LINES:,}"}, code="too_long")
    if body.count("|") > MAX_PIPES:
        raise ValidationError(_too_complex(gettext("%(count)s table cells"), body.count("|")),
                              code="too_complex")
    inline = [tok.content for tok in _blocks().parse(body) if tok.type == "inline"]
    brackets = sum(text.count("[") for text in inline)
    if brackets > MAX_BRACKETS:
        raise ValidationError(_too_complex(gettext("%(count)s square brackets"), brackets),
                              code="too_complex")
    if sum(_label_scan(text) for text in inline) > MAX_LABEL_SCAN:
        raise ValidationError(TOO_COMPLEX % {"what": gettext("square brackets that never close")},
                              code="too_complex")
    emphasis = sum(text.count(ch) for text in inline for ch in "*_~")
    if emphasis > MAX_EMPHASIS:
        raise ValidationError(_too_complex(gettext("%(count)s *, _ and ~ marks"), emphasis),
                              code="too_complex")
    runs = sum(len(_BACKTICKS.findall(text)) for text in inline)
    if runs > MAX_BACKTICK_RUNS:
        raise ValidationError(_too_complex(gettext("%(count)s backticks"), runs),
                              code="too_complex")
    handles = len(rendering.mention_candidates(body))
    if handles > MAX_HANDLES:
        raise ValidationError(
            gettext("Your post mentions %(count)d @handles; the most is %(most)d.")
            % {"count": handles, "most": MAX_HANDLES}, code="too_complex")


def _too_complex(what: str, count: int) -> str:
    """``TOO_COMPLEX`` naming ``what`` (a sentence part holding ``%(count)s``)."""
    return TOO_COMPLEX % {"what": what % {"count": f"{count:,}"}}
