"""Per-product health: on each product, do customers answer each other, or does the brand?

Over the dashboard's period (``community.host.dashboard.Period``) and its words
(:mod:`community.words`, the dashboard's reading: staff posts are those written as a staff
host, every other post, partners' included, is a member's). A product's *questions* are the
period's questions about it (``Thread.product``), counted as the dashboard counts questions
(``dashboard.questions``); their *answers* count whenever they came.

- **questions**: the product's questions of the period.
- **peer answer share**: answered questions whose first answer came from a member other than
  the asker / answered questions (the dashboard's definition, per product).
- **owner answer share**: answers written as members by people who own the product (a
  declared or a verified ``Ownership``), other than the asker / answers.
- **staff share**: answers written as staff / answers.
- **time to first peer answer** and **time to first owner answer**: over the questions that
  have one, hours from the question to the first such answer; the median (the mean of the
  two middle values when their number is even).
- **support, not social**: at least :data:`MIN_ANSWERS` answers of which staff wrote more
  than half (``dashboard.PARTY_LINE``): "On the Summit kettle, staff write 70% of answers:
  this is customer support, not social Q&A."

Two queries whatever the number of products and questions (:func:`product_health`).
"""
from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
)

from community import words
from community.host import dashboard
from community.models import Ownership, Post

#: A product needs this many answers in the period before its answers are judged.
MIN_ANSWERS = 3
#: The products shown, most questions first.
SHOWN = 20


@dataclass
class ProductHealth:
    pk: int
    name: str
    slug: str
    questions: int = 0
    answered: int = 0
    peer_first: int = 0
    answers: int = 0
    staff_answers: int = 0
    owner_answers: int = 0
    hours_to_peer: float | None = None
    hours_to_owner: float | None = None

    @property
    def peer_answer_share(self) -> float | None:
        return dashboard.ratio(self.peer_first, self.answered)

    @property
    def owner_answer_share(self) -> float | None:
        return dashboard.ratio(self.owner_answers, self.answers)

    @property
    def staff_share(self) -> float | None:
        return dashboard.ratio(self.staff_answers, self.answers)

    @property
    def support_not_social(self) -> bool:
        return (self.answers >= MIN_ANSWERS and self.staff_share is not None
                and self.staff_share > dashboard.PARTY_LINE)


def _owner_q(post_field: str = "") -> Exists:
    """The post (``post_field``: the path to it from the query's model) is by someone who
    owns the product of its thread."""
    p = f"{post_field}__" if post_field else ""
    return Exists(Ownership.objects.filter(member=OuterRef(f"{p}author_id"),
                                           product=OuterRef(f"{p}thread__product_id")))


def _owner_answers():
    """Answers to the outer question by owners of its product, other than the asker."""
    return (Post.objects.filter(thread=OuterRef("pk"), kind=Post.Kind.ANSWER, is_deleted=False,
                                status=Post.Status.PUBLISHED)
            .exclude(author=OuterRef("author_id"))
            .filter(words.MEMBER_POST)
            .filter(Exists(Ownership.objects.filter(member=OuterRef("author_id"),
                                                    product=OuterRef("thread__product_id")))))


def _hours(asked, answered_at) -> float:
    return (answered_at - asked).total_seconds() / 3600


def product_health(period: dashboard.Period) -> list[ProductHealth]:
    """Every product with questions in ``period``, most questions first (2 queries)."""
    rows = list(
        dashboard.questions(period).filter(product__isnull=False)
        .annotate(first_owner_at=Subquery(
            _owner_answers().order_by("created_at", "pk").values("created_at")[:1]),
            peer_first=ExpressionWrapper(
                Q(answered=True) & words.member_post("first_answer_role")
                & ~Q(first_answer_by=F("author_id")), output_field=BooleanField()))
        .values_list("product_id", "product__name", "product__slug", "created_at", "answered",
                     "peer_first", "first_peer_at", "first_owner_at"))
    found: dict[int, ProductHealth] = {}
    to_peer: dict[int, list[float]] = {}
    to_owner: dict[int, list[float]] = {}
    for pk, name, slug, asked, answered, peer_first, peer_at, owner_at in rows:
        health = found.setdefault(pk, ProductHealth(pk=pk, name=name, slug=slug))
        health.questions += 1
        health.answered += bool(answered)
        health.peer_first += bool(peer_first)
        if peer_at is not None:
            to_peer.setdefault(pk, []).append(_hours(asked, peer_at))
        if owner_at is not None:
            to_owner.setdefault(pk, []).append(_hours(asked, owner_at))
    answers = (
        Post.objects.filter(
            period.q("thread__created_at"), kind=Post.Kind.ANSWER, is_deleted=False,
            status=Post.Status.PUBLISHED, thread__kind="question", thread__is_deleted=False,
            thread__is_hidden=False, thread__product__isnull=False)
        .values("thread__product_id")
        .annotate(answers=Count("pk"), staff=Count("pk", filter=words.STAFF_POST),
                  owners=Count("pk", filter=Q(_owner_q()) & words.MEMBER_POST
                               & ~Q(author_id=F("thread__author_id")))))
    for row in answers:
        health = found.get(row["thread__product_id"])
        if health is None:  # answers only to questions asked elsewhere: not its questions
            continue
        health.answers, health.staff_answers = row["answers"], row["staff"]
        health.owner_answers = row["owners"]
    for pk, health in found.items():
        health.hours_to_peer = median(to_peer[pk]) if pk in to_peer else None
        health.hours_to_owner = median(to_owner[pk]) if pk in to_owner else None
    ordered = sorted(found.values(), key=lambda h: (-h.questions, h.name, h.pk))
    return ordered[:SHOWN]
