"""Ask the owners: offer a new question to a few members likely to answer it.

A member's score for a question, from what they did before it was asked
(docs/routing.md has the method, the measured figures and how the weights were chosen)::

    recent   = answers in the space (+ accepted ones), each fading with a half-life,
               + a bonus for owning a product the question names
    affinity = (answers in threads sharing a tag with the question + prior)
               / (answers in the space + 1), over a longer memory
    score    = recent * (1 + tag * affinity) * (1 + speed * share answered within a day)
               + recent activity (posts of any kind) - asks outstanding (routed to them in
               the last 14 days and not answered)

Staff, the asker, members already in the thread, inactive or unclaimed accounts, former
members, members who turned routing off, and members already asked ``ROUTING_WEEKLY_CAP``
times in the 7 days before are never picked. Every count is an indexed aggregate bounded
in time (``HORIZON``) and counted in age bands (``BANDS``), so a question costs a constant
number of queries whatever the size of the community.

:func:`candidates` takes ``as_of`` (the moment to route at: only what existed before it
counts) and ``reach_unclaimed`` so that ``routing_eval`` replays history through this same
code; production routes at now and never reaches unclaimed accounts.
Routing is idempotent per question (one ``QuestionRoute`` per member and question).
"""
import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone

from community.models import Notification, Post, QuestionRoute, Thread, User

MAX_ASKED = 3
#: Age bands in days, ``(from, to, age the band counts as)``: counts come from SQL per band
#: and the decay is applied to the band's representative age.
BANDS = ((0, 3, 1.5), (3, 7, 5), (7, 14, 10), (14, 30, 21), (30, 60, 45), (60, 90, 75),
         (90, 180, 135), (180, 365, 270), (365, 730, 540), (730, 1095, 900))
HORIZON = timedelta(days=BANDS[-1][1])
ACTIVITY_DAYS = 180
OUTSTANDING_DAYS = 14
FAST_ANSWER = timedelta(days=1)


@dataclass(frozen=True)
class Weights:
    """The router's weights, chosen on the validation window (docs/routing.md)."""

    half_life: float = 60.0           # days: how fast answering in the space fades
    affinity_half_life: float = 365.0  # days: the memory of which tags a member answers
    accepted: float = 0.0
    tag: float = 4.0
    tag_prior: float = 0.5
    product: float = 3.0
    speed: float = 2.0
    active: float = 0.5
    activity_half_life: float = 7.0   # days: recent posts of any kind
    outstanding: float = 0.1


WEIGHTS = Weights()


@dataclass
class Evidence:
    """What a member did before ``as_of``, in age bands (index = position in ``BANDS``)."""

    space: list[int] = field(default_factory=lambda: [0] * len(BANDS))
    accepted: list[int] = field(default_factory=lambda: [0] * len(BANDS))
    tag: list[int] = field(default_factory=lambda: [0] * len(BANDS))
    answers: int = 0
    fast: int = 0
    activity: list[int] = field(default_factory=lambda: [0] * len(BANDS))
    owns_product: bool = False


@dataclass
class Found:
    """Everything one question's routing reads from the database (see :func:`gather`)."""

    thread: Thread
    as_of: datetime
    evidence: dict[int, Evidence]
    eligible: set[int]
    scores: dict = field(default_factory=dict, repr=False)

    def score(self, pk: int, weights: "Weights") -> float:
        """:func:`score` of one member, kept per weights (a replay ranks twice)."""
        key = (pk, weights)
        if key not in self.scores:
            self.scores[key] = score(self.evidence[pk], weights)
        return self.scores[key]


def weekly_cap() -> int:
    return getattr(settings, "ROUTING_WEEKLY_CAP", 3)


@functools.lru_cache(maxsize=64)
def _decay(half_life: float) -> tuple[float, ...]:
    return tuple(0.5 ** (age / half_life) for _lo, _hi, age in BANDS)


def _decayed(bands: list[int], half_life: float) -> float:
    return sum(n * f for n, f in zip(bands, _decay(half_life), strict=True) if n)


def score(ev: Evidence, weights: Weights = WEIGHTS) -> float:
    """One member's score for one question (a plain function of their evidence).

    How much they answer in the space lately (and own a product it names), times their
    affinity for the question's tags (the share of their answers that were in those tags,
    over a longer memory), times how quickly they usually answer, plus recent activity."""
    h, long = weights.half_life, weights.affinity_half_life
    recent = (_decayed(ev.space, h) + weights.accepted * _decayed(ev.accepted, h)
              + (weights.product if ev.owns_product else 0.0))
    affinity = (_decayed(ev.tag, long) + weights.tag_prior) / (_decayed(ev.space, long) + 1)
    speed = (ev.fast + 1) / (ev.answers + 2)
    return (recent * (1 + weights.tag * affinity) * (1 + weights.speed * speed)
            + weights.active * math.log1p(_decayed(ev.activity, weights.activity_half_life)))


def _band(as_of: datetime) -> Case:
    """The age band (index in ``BANDS``) of a row's ``created_at``, counted back from
    ``as_of`` (rows are already bounded by ``HORIZON``)."""
    return Case(*(When(created_at__gte=as_of - timedelta(days=hi), then=Value(i))
                  for i, (_lo, hi, _age) in enumerate(BANDS)),
                default=Value(len(BANDS) - 1), output_field=IntegerField())


def _product_words(thread: Thread, tag_names: list[str]) -> set[str]:
    words = {thread.space.name.lower(), *(t.lower() for t in tag_names)}
    words |= {w for w in re.findall(r"[a-z0-9]+", thread.title.lower()) if len(w) >= 3}
    return {w for w in words if w}


def _product_owners(thread: Thread, tag_names: list[str], limit: int = 500) -> set[int]:
    """Owners of a product the question names, from one bounded query: the members whose
    product list mentions a word of the title, a tag or the space, then checked exactly."""
    words = _product_words(thread, tag_names)
    if not words:
        return set()
    mention = Q()
    for word in sorted(words):
        mention |= Q(products__icontains=word)
    title = thread.title.lower()
    exact = {thread.space.name.lower(), *(t.lower() for t in tag_names)}
    owners = set()
    for pk, products in (User.objects.exclude(products="").filter(mention)
                         .values_list("pk", "products")[:limit]):
        for product in User.split_list(products):
            p = product.lower()
            if p in title or p in exact or any(w and w in p for w in exact):
                owners.add(pk)
                break
    return owners


def gather(thread: Thread, *, as_of: datetime | None = None,
           reach_unclaimed: bool = False) -> Found:
    """Read what routing ``thread`` at ``as_of`` needs: the candidates' evidence and who of
    them may be asked. Only posts created before ``as_of`` count."""
    from community.words import MEMBER_POST, staff_person

    as_of = as_of or timezone.now()
    tags = list(thread.tags.values_list("pk", "name"))
    tag_ids = [pk for pk, _ in tags]
    tag_names = [name for _, name in tags]
    # The dashboard's reading of the words: partners are members, and may be asked.
    answers = Post.objects.filter(
        MEMBER_POST, kind=Post.Kind.ANSWER, is_deleted=False, status=Post.Status.PUBLISHED,
        thread__is_deleted=False, created_at__gte=as_of - HORIZON, created_at__lt=as_of,
    ).exclude(thread_id=thread.pk)
    in_space = Q(thread__space_id=thread.space_id)
    accepted = Q(thread__accepted_answer=F("pk"))
    tagged = Q(thread_id__in=Thread.objects.filter(tags__in=tag_ids).values("pk"))
    where = in_space | tagged if tag_ids else in_space
    counts = {
        "s": Count("id", filter=in_space), "a": Count("id", filter=in_space & accepted),
        "n": Count("id"),
        "fast": Count("id", filter=Q(created_at__lt=F("thread__created_at") + FAST_ANSWER)),
    }
    if tag_ids:
        counts["t"] = Count("id", filter=tagged)
    evidence: dict[int, Evidence] = {}
    for row in (answers.filter(where).annotate(band=_band(as_of)).values("author_id", "band")
                .annotate(**counts)):
        ev = evidence.setdefault(row["author_id"], Evidence())
        i = row["band"]
        ev.space[i], ev.accepted[i] = row["s"], row["a"]
        ev.tag[i] = row.get("t", 0)
        ev.answers += row["n"]
        ev.fast += row["fast"]
    for pk in _product_owners(thread, tag_names):
        evidence.setdefault(pk, Evidence()).owns_product = True
    if not evidence:
        return Found(thread, as_of, {}, set())
    since = as_of - timedelta(days=ACTIVITY_DAYS)
    for row in (Post.objects.filter(author_id__in=list(evidence), is_deleted=False,
                                    created_at__gte=since, created_at__lt=as_of)
                .annotate(band=_band(as_of)).values("author_id", "band")
                .annotate(n=Count("id"))):
        evidence[row["author_id"]].activity[row["band"]] = row["n"]
    people = User.objects.filter(pk__in=list(evidence), is_active=True, is_former_member=False,
                                 accepts_routing=True)
    if not reach_unclaimed:
        people = people.filter(is_unclaimed=False)
    eligible = set(
        people.exclude(staff_person()).exclude(pk=thread.author_id)
        # Already in the conversation: nothing to ask them.
        .exclude(pk__in=Post.objects.filter(thread=thread, created_at__lt=as_of)
                 .values("author_id")).values_list("pk", flat=True)
    )
    return Found(thread, as_of, evidence, eligible)


class RouteLedger:
    """Who was asked when, read from ``QuestionRoute`` (production's memory of asks)."""

    def asked_recently(self, as_of: datetime, cap: int) -> set[int]:
        """Members already asked ``cap`` times in the 7 days before ``as_of``."""
        return set(
            QuestionRoute.objects.filter(created_at__gte=as_of - timedelta(days=7),
                                         created_at__lt=as_of)
            .values("member_id").annotate(n=Count("id")).filter(n__gte=cap)
            .values_list("member_id", flat=True)
        )

    def outstanding(self, members: list[int], as_of: datetime) -> Counter:
        """Asks of the last 14 days each member has not answered (yet, at ``as_of``)."""
        rows = (QuestionRoute.objects.filter(
            member_id__in=members, created_at__gte=as_of - timedelta(days=OUTSTANDING_DAYS),
            created_at__lt=as_of)
            .filter(Q(answered_at__isnull=True) | Q(answered_at__gte=as_of))
            .values("member_id").annotate(n=Count("id")))
        return Counter({r["member_id"]: r["n"] for r in rows})


def rank(found: Found, *, limit: int = MAX_ASKED, cap: int | None = None,
         ledger=None, weights: Weights = WEIGHTS) -> list[int]:
    """The ids of the ``limit`` best eligible members, skipping those over the weekly cap
    (``cap=0`` turns the cap off; ``None`` reads the setting)."""
    if not found.eligible:
        return []
    ledger = ledger or RouteLedger()
    cap = weekly_cap() if cap is None else cap
    capped = ledger.asked_recently(found.as_of, cap) if cap else set()
    pool = [pk for pk in found.eligible if pk not in capped]
    waiting = ledger.outstanding(pool, found.as_of) if weights.outstanding else Counter()
    points = {pk: found.score(pk, weights) - weights.outstanding * waiting[pk]
              for pk in pool}
    ranked = sorted((pk for pk in pool if points[pk] > 0), key=lambda pk: (-points[pk], pk))
    return ranked[:limit]


def candidates(thread: Thread, limit: int = MAX_ASKED, *, as_of: datetime | None = None,
               reach_unclaimed: bool = False, cap: int | None = None, ledger=None,
               weights: Weights = WEIGHTS) -> list[User]:
    """The members to ask about ``thread``, best first (production: now, claimed only)."""
    found = gather(thread, as_of=as_of, reach_unclaimed=reach_unclaimed)
    chosen = rank(found, limit=limit, cap=cap, ledger=ledger, weights=weights)
    people = User.objects.in_bulk(chosen)
    return [people[pk] for pk in chosen]


def route_question(*, thread_id: int) -> list[int]:
    """Ask up to three members to help with a new question; returns who was asked."""
    thread = Thread.objects.select_related("space").filter(
        pk=thread_id, kind=Thread.Kind.QUESTION, is_deleted=False, is_hidden=False
    ).first()
    if thread is None or QuestionRoute.objects.filter(thread=thread).exists():
        return []
    chosen = candidates(thread)
    QuestionRoute.objects.bulk_create(
        [QuestionRoute(thread=thread, member=m) for m in chosen], ignore_conflicts=True
    )
    from community.engine.notifications import as_chosen

    Notification.objects.bulk_create(
        as_chosen([Notification(recipient=m, kind=Notification.Kind.ROUTED,
                                actor_id=thread.author_id, thread=thread,
                                post_id=thread.opening_post_id) for m in chosen],
                  {m.pk: m.notice_settings for m in chosen}),
        ignore_conflicts=True,
    )
    return [m.pk for m in chosen]


def answers_record(pairs: list[tuple[int, int]]) -> None:
    """Record the answers of a batch, ``(thread_id, member_id)`` pairs, in one query."""
    from functools import reduce
    from operator import or_

    if pairs:
        QuestionRoute.objects.filter(
            reduce(or_, (Q(thread_id=t, member_id=m) for t, m in pairs)),
            answered_at__isnull=True,
        ).update(answered_at=timezone.now())
