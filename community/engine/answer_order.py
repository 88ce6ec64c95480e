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

from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Cast, Sqrt

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
    store its score: of ``thread_ids``, of a space, or of every thread (for the importer,
    the migration and ``manage.py rescore``).

    One pass over the threads' votes and answers in time order (a window count), so the
    cost grows with the rows, not with answers times votes: a correlated count per answer
    made PostgreSQL scan every vote once per answer (hours on a million posts), and a
    join of each answer with its thread's votes is 120 million pairs there."""
    answers = Post.objects.filter(kind=Post.Kind.ANSWER)
    if thread_ids is not None:
        answers = answers.filter(thread_id__in=list(thread_ids))
    if space_id is not None:
        answers = answers.filter(thread__space_id=space_id)
    counts_store(answers)
    return answers.update(helpful_score=_score())


def counts_store(answers) -> None:
    """Store ``helpful_count`` and ``helpful_seen`` of the answers in the queryset
    ``answers`` from the vote rows (one statement; the migration that added the columns
    calls it with its historical model)."""
    chosen, chosen_params = answers.values("pk").query.sql_with_params()
    threads, thread_params = answers.values("thread_id").query.sql_with_params()
    post, vote = answers.model._meta.db_table, Vote._meta.db_table
    # Table names come from the models and every value is a parameter. An answer saw the
    # thread's helpful votes cast at or after its creation (a running count over the
    # thread's votes and answers in time order, newest first) and all of its own.
    counted = (
        "WITH hv AS (SELECT p.thread_id, v.post_id, v.created_at "  # noqa: S608  # nosec B608
        f"FROM {vote} v JOIN {post} p ON p.id = v.post_id "
        f"WHERE v.kind = %s AND p.kind = %s AND p.thread_id IN ({threads})), "
        "timeline AS (SELECT thread_id, created_at, 1 AS vote, "
        "CAST(NULL AS bigint) AS answer_id FROM hv "
        f"UNION ALL SELECT thread_id, created_at, 0, id FROM {post} WHERE id IN ({chosen})), "
        "later AS (SELECT answer_id, SUM(vote) OVER (PARTITION BY thread_id "
        "ORDER BY created_at DESC, vote DESC ROWS UNBOUNDED PRECEDING) AS n FROM timeline), "
        "own AS (SELECT hv.post_id, COUNT(*) AS n, "
        "COUNT(*) FILTER (WHERE hv.created_at >= a.created_at) AS later "
        f"FROM hv JOIN {post} a ON a.id = hv.post_id GROUP BY hv.post_id) "
        "SELECT l.answer_id AS id, COALESCE(o.n, 0) AS own, "
        "l.n - COALESCE(o.later, 0) + COALESCE(o.n, 0) AS seen "
        "FROM later l LEFT JOIN own o ON o.post_id = l.answer_id WHERE l.answer_id IS NOT NULL")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {post} AS t SET helpful_count = c.own, helpful_seen = c.seen "  # noqa: S608  # nosec B608
            f"FROM ({counted}) c WHERE t.id = c.id",
            ["helpful", "answer", *thread_params, *chosen_params])
