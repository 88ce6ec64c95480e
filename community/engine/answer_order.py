"""The "most helpful" order of a question's answers, and the stored numbers behind it.

An answer's helpfulness is its share of the helpful votes cast on the question's answers
while it was there to be read: ``helpful`` of its own out of ``seen``, the helpful votes
on any of the thread's answers cast since it was posted (its own included). Each vote
row counts once: a member has at most one helpful vote per answer, and every imported
anonymous vote is its own row. The order key is the lower bound of the Wilson score
interval on that share::

    p     = helpful / seen
    score = (p + z²/2n - z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)     with n = seen
    score = 0                                                        when seen = 0

so an answer one reader found helpful (1 of 1: 0.21 at z = 1.96) does not beat one
twenty of twenty-two found helpful (0.72), and a late answer that won most of the votes cast
since it appeared is not buried under an early one that collected votes before it
existed. Equal scores (every answer without votes) keep the earlier answer first; the
accepted answer is always pinned first, whatever the order.

``Z`` (the usual 95% bound) was chosen on the first 70% of the beer community's questions
by date among 0.5, 1, 1.5, 1.96 and 2.58, ties to the smaller (``manage.py
evaluate_answer_order``, docs/answer-order.md).

The numbers are stored on the post (``helpful_seen``, ``helpful_score``) and kept by the
vote services (:func:`vote_counted`, in their transaction) and by the importer and the
repair command (:func:`answers_rescore`, set-based), so a thread page orders by a column
and never counts votes per request.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime

from django.db.models import Case, Count, F, FloatField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, Sqrt

from community.models import Post, Vote

Z = 1.96


def helpful_lower_bound(helpful: int, seen: int, z: float = Z) -> float:
    """The Wilson lower bound on ``helpful`` of ``seen`` (0 with no votes seen)."""
    if seen <= 0:
        return 0.0
    p = min(helpful, seen) / seen
    z2 = z * z
    centre = p + z2 / (2 * seen)
    spread = z * math.sqrt(p * (1 - p) / seen + z2 / (4 * seen * seen))
    return max(0.0, (centre - spread) / (1 + z2 / seen))


def _score(z: float = Z):
    """:func:`helpful_lower_bound` of the stored columns, as SQL."""
    k = Cast(F("helpful_count"), FloatField())
    n = Cast(F("helpful_seen"), FloatField())
    p = k / n
    z2 = Value(z * z)
    bound = (p + z2 / (Value(2.0) * n)
             - Value(z) * Sqrt(p * (Value(1.0) - p) / n + z2 / (Value(4.0) * n * n))
             ) / (Value(1.0) + z2 / n)
    return Case(When(helpful_seen__gt=0, then=bound), default=Value(0.0),
                output_field=FloatField())


def vote_counted(post: Post, *, change: int, cast_at: datetime) -> None:
    """A helpful vote on ``post`` cast at ``cast_at`` was added (``change`` 1) or withdrawn
    (-1): the post and every answer of its thread that was up when the vote was cast saw
    one vote more or less, and the thread's scores are written again (two statements,
    inside the caller's transaction; the caller keeps ``helpful_count``)."""
    seen = Post.objects.filter(Q(pk=post.pk) | Q(created_at__lte=cast_at),
                               thread_id=post.thread_id, kind=Post.Kind.ANSWER)
    if change < 0:
        seen = seen.filter(helpful_seen__gt=0)
    seen.update(helpful_seen=F("helpful_seen") + change)
    Post.objects.filter(thread_id=post.thread_id, kind=Post.Kind.ANSWER).update(
        helpful_score=_score())


def answers_rescore(*, thread_ids: Iterable[int] | None = None,
                    space_id: int | None = None) -> int:
    """Count, from the vote rows, every answer's helpful votes and the votes it saw, and
    store its score: of ``thread_ids``, of a space, or of every thread (set-based, for
    the importer, the migration and ``manage.py rescore``)."""
    answers = Post.objects.filter(kind=Post.Kind.ANSWER)
    if thread_ids is not None:
        answers = answers.filter(thread_id__in=list(thread_ids))
    if space_id is not None:
        answers = answers.filter(thread__space_id=space_id)
    helpful = Vote.objects.filter(kind=Vote.Kind.HELPFUL)
    own = helpful.filter(post_id=OuterRef("pk")).order_by().values("post_id")
    seen = helpful.filter(
        Q(post_id=OuterRef("pk")) | Q(created_at__gte=OuterRef("created_at")),
        post__thread_id=OuterRef("thread_id"), post__kind=Post.Kind.ANSWER,
    ).order_by().values("post__thread_id")
    done = answers.update(
        helpful_count=Coalesce(Subquery(own.annotate(n=Count("pk")).values("n")), 0),
        helpful_seen=Coalesce(Subquery(seen.annotate(n=Count("pk")).values("n")), 0))
    answers.update(helpful_score=_score())
    return done
