"""Ask the owners: offer a new question to a few members likely to answer it.

A member's score for a question, from what they did before it was asked
(docs/routing.md has the method, the measured figures and how the weights were chosen)::

    recent   = answers in the space (+ accepted ones), each fading with a half-life,
               + a bonus for owning the product the question is about (larger when the
               shop verified the purchase than when the member said so)
    affinity = (answers in threads sharing a tag with the question + prior)
               / (answers in the space + 1), over a longer memory
    score    = recent * (1 + tag * affinity) * (1 + speed * share answered within a day)
               + recent activity (posts of any kind) - asks outstanding (routed to them in
               the last 14 days and not answered)

A question about a product (``Thread.product``, or a tag a product names) is offered first
to the verified owners of it, best first, then to the members who said they own it, then to
everyone else (:func:`rank`); owners who turned "ask me first about products I own" off
(``User.accepts_owner_asks``) rank as if they did not own it.

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
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone

from community.models import (
    Notification,
    Ownership,
    Post,
    Product,
    QuestionRoute,
    SpaceFollow,
    Thread,
    User,
)

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
    product: float = 3.0              # a verified owner of the question's product
    declared: float = 1.5             # a member who says they own it
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
    owner: str = ""  # of the question's product: VERIFIED, DECLARED or ""


VERIFIED, DECLARED = "verified", "declared"
#: The order members are offered a question about a product in: verified owners first.
TIER = {VERIFIED: 0, DECLARED: 1, "": 2}


@dataclass
class Found:
    """Everything one question's routing reads from the database (see :func:`gather`)."""

    thread: Thread
    as_of: datetime
    evidence: dict[int, Evidence]
    eligible: set[int]
    scores: dict = field(default_factory=dict, repr=False)
    product: int | None = None  # the id of the product the question is about
    ownerships: dict[int, Ownership] = field(default_factory=dict, repr=False)

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
    owned = {VERIFIED: weights.product, DECLARED: weights.declared}.get(ev.owner, 0.0)
    recent = _decayed(ev.space, h) + weights.accepted * _decayed(ev.accepted, h) + owned
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


def _product_id(thread: Thread, tag_ids: list[int]) -> int | None:
    """The product the question is about: its own, else one a tag of it names (at most
    1 query)."""
    if thread.product_id or not tag_ids:
        return thread.product_id
    return (Product.objects.filter(tag_id__in=tag_ids).order_by("pk")
            .values_list("pk", flat=True).first())


def _product_owners(product_id: int | None, as_of: datetime,
                    limit: int = 500) -> dict[int, Ownership]:
    """The owners of the product who let owning it put them first, with the product (one
    bounded query, verified ones first): what routing reads, not the free-text "products
    I own"."""
    if product_id is None:
        return {}
    rows = (Ownership.objects.filter(product_id=product_id, created_at__lt=as_of,
                                     member__accepts_owner_asks=True)
            .select_related("product")
            .order_by(F("verified_at").asc(nulls_last=True), "pk")  # verified first
            .only("member", "verified_at", "purchased_on", "product__name")[:limit])
    return {row.member_id: row for row in rows}


def gather(thread: Thread, *, as_of: datetime | None = None,
           reach_unclaimed: bool = False) -> Found:
    """Read what routing ``thread`` at ``as_of`` needs: the candidates' evidence and who of
    them may be asked. Only posts created before ``as_of`` count."""
    from community.words import MEMBER_POST, staff_person

    as_of = as_of or timezone.now()
    tag_ids = list(thread.tags.values_list("pk", flat=True))
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
    product = _product_id(thread, tag_ids)
    ownerships = _product_owners(product, as_of)
    for pk, owned in ownerships.items():
        evidence.setdefault(pk, Evidence()).owner = VERIFIED if owned.is_verified else DECLARED
    if not evidence:
        return Found(thread, as_of, {}, set(), product=product)
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
                 .values("author_id"))
        # Who muted the question's space hears nothing from it (``notice_levels``).
        .exclude(pk__in=SpaceFollow.objects.filter(
            space_id=thread.space_id, level=SpaceFollow.Level.MUTED).values("user_id"))
        .values_list("pk", flat=True)
    )
    return Found(thread, as_of, evidence, eligible, product=product, ownerships=ownerships)


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
    (``cap=0`` turns the cap off; ``None`` reads the setting): verified owners of the
    question's product first, then those who said they own it, then everyone else, each
    group by score."""
    if not found.eligible:
        return []
    ledger = ledger or RouteLedger()
    cap = weekly_cap() if cap is None else cap
    capped = ledger.asked_recently(found.as_of, cap) if cap else set()
    pool = [pk for pk in found.eligible if pk not in capped]
    waiting = ledger.outstanding(pool, found.as_of) if weights.outstanding else Counter()
    points = {pk: found.score(pk, weights) - weights.outstanding * waiting[pk]
              for pk in pool}
    ranked = sorted((pk for pk in pool if points[pk] > 0),
                    key=lambda pk: (TIER[found.evidence[pk].owner], -points[pk], pk))
    return ranked[:limit]


def candidates(thread: Thread, limit: int = MAX_ASKED, *, as_of: datetime | None = None,
               reach_unclaimed: bool = False, cap: int | None = None, ledger=None,
               weights: Weights = WEIGHTS) -> list[User]:
    """The members to ask about ``thread``, best first (production: now, claimed only)."""
    return _chosen(thread, limit=limit, as_of=as_of, reach_unclaimed=reach_unclaimed, cap=cap,
                   ledger=ledger, weights=weights)[0]


def _chosen(thread, **kwargs) -> tuple[list[User], Found]:
    limit = kwargs.pop("limit", MAX_ASKED)
    cap, ledger = kwargs.pop("cap", None), kwargs.pop("ledger", None)
    weights = kwargs.pop("weights", WEIGHTS)
    found = gather(thread, **kwargs)
    chosen = rank(found, limit=limit, cap=cap, ledger=ledger, weights=weights)
    people = User.objects.in_bulk(chosen)
    return [people[pk] for pk in chosen], found


def _ask(thread: Thread, member: User, found: Found) -> Notification:
    """The notice asking ``member``: an owner's says why ("You bought <product> on <date>")
    and carries the signed one-click link into the thread."""
    from community.commerce import asks

    notice = Notification(recipient=member, kind=Notification.Kind.ROUTED,
                          actor_id=thread.author_id, thread=thread,
                          post_id=thread.opening_post_id)
    owned = found.ownerships.get(member.pk)
    if owned is not None:
        notice.message = asks.why_asked(owned)[:500]
        notice.url = asks.ask_url(thread_id=thread.pk, member_id=member.pk)[:300]
    return notice


def route_question(*, thread_id: int) -> list[int]:
    """Ask up to three members to help with a new question; returns who was asked."""
    thread = Thread.objects.select_related("space").filter(
        pk=thread_id, kind=Thread.Kind.QUESTION, is_deleted=False, is_hidden=False
    ).first()
    if thread is None or QuestionRoute.objects.filter(thread=thread).exists():
        return []
    chosen, found = _chosen(thread)
    QuestionRoute.objects.bulk_create(
        [QuestionRoute(thread=thread, member=m) for m in chosen], ignore_conflicts=True
    )
    from community.engine.notifications import as_chosen

    Notification.objects.bulk_create(
        as_chosen([_ask(thread, m, found) for m in chosen],
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
