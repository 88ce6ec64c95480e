"""The six engagement strategies, and which members' events count for each.

A brand's community lives on some of these; the host dashboard shows which, over time:

- **content**: what members create (posts with photos, entries to moments);
- **conversation**: threads, answers, replies and votes on them;
- **collaboration**: building together (joining projects, pledging, voting on ideas);
- **contribution**: ideas and designs given to a project, and the ones that won;
- **commerce**: owners helping shoppers (questions asked of a product's owners, answers by
  owners of the product asked about, saying "I own this", offers followed);
- **curation**: collections made and added to.

Each event kind names its strategy where it is declared (``events.declare(...,
strategy=...)``, the engine's one table of kinds, and ``purpose`` and ``partners`` in theirs);
a mark the writer put in the payload moves one event to another strategy: a post with photos
or an entry to a moment is content (``events.content_q``), an answer by an owner of the
product, or a question asked of a product's owners from its page, is commerce
(:data:`COMMERCE_MARKS`). Only members' events count (staff are the
hosts, not the party).
"""
from dataclasses import dataclass

from django.db.models import Case, CharField, Q, Value, When
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Strategy:
    name: str
    label: str
    start: str  # what a host can do to start it, said where it has no events yet


STRATEGIES = (
    Strategy("content", gettext_lazy("Content"), gettext_lazy(
        "Start a moment (Moments → Start a moment) and ask members for a photo or a story.")),
    Strategy("conversation", gettext_lazy("Conversation"), gettext_lazy(
        "Ask the community an open question, or welcome new members into a thread.")),
    Strategy("collaboration", gettext_lazy("Collaboration"), gettext_lazy(
        "Open a project that members can join and pledge to.")),
    Strategy("contribution", gettext_lazy("Contribution"), gettext_lazy(
        "Ask for ideas or designs on a project and let members vote on them.")),
    Strategy("commerce", gettext_lazy("Commerce"), gettext_lazy(
        "Import the catalogue and orders, so owners are asked about what they bought.")),
    Strategy("curation", gettext_lazy("Curation"), gettext_lazy(
        "Feature a member's collection, or start one of the best how-tos.")),
)
NAMES = frozenset(s.name for s in STRATEGIES)
BY_NAME = {s.name: s for s in STRATEGIES}

#: The payload keys that make a post commerce: an answer whose author owns the product asked
#: about, a question asked of a product's owners (from its page).
COMMERCE_MARKS = ("owner", "owners_asked")


def kinds() -> dict[str, list[str]]:
    """``{strategy: [event kinds that count for it]}`` from every installed app's kinds."""
    from .events import declared

    found: dict[str, list[str]] = {s.name: [] for s in STRATEGIES}
    for kind, cls in declared().items():
        if cls.STRATEGY:
            found[cls.STRATEGY].append(kind)
    return found


def counted_kinds() -> set[str]:
    """Every event kind a strategy may count (the marked kinds included)."""
    from .events import CONTENT_EVENT_KINDS

    return {kind for group in kinds().values() for kind in group} | set(CONTENT_EVENT_KINDS)


def classify() -> Case:
    """An expression naming the strategy of an ``EngagementEvent`` row ("" for none)."""
    from .events import content_q

    commerce = Q()
    for mark in COMMERCE_MARKS:
        commerce |= Q(payload__has_key=mark)
    whens = [When(content_q(), then=Value("content")), When(commerce, then=Value("commerce"))]
    whens += [When(kind__in=group, then=Value(name)) for name, group in kinds().items() if group]
    return Case(*whens, default=Value(""), output_field=CharField())
