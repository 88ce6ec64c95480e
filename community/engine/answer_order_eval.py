"""How often an answer order puts the answer the asker went on to accept first, with the
pin taken away (``manage.py evaluate_answer_order``; docs/answer-order.md).

Over the questions of an imported community that have two or more answers and an
accepted answer with its time (``Thread.accepted_at``), each order ranks the answers with
only what was known when the asker accepted one:

- **date**: oldest first (what a thread page showed before);
- **newest**: newest first;
- **up-votes**: helpful votes cast before the acceptance, ties to the earlier answer;
- **helpful**: Gravity's order (``answer_order.helpful_lower_bound``) computed from the
  same votes: each answer's votes out of the votes the thread's answers received while it
  was up, ties to the earlier answer.

"Before the acceptance" is a vote whose time is earlier than ``accepted_at``. Stack
Exchange dumps give both at day resolution (midnight), so there it means *on an earlier
day*; the **same-day** reading (votes up to the end of the acceptance day, which can
include votes cast after it, the asker's own among them) is reported beside it.

``z`` is chosen on the first 70% of the questions by date (the strict reading) among
``Z_CANDIDATES``; the result is reported on the last 30% and on all of them.
"""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from community.engine.answer_order import Z, helpful_lower_bound
from community.models import Post, Space, Thread, Vote

Z_CANDIDATES = (0.5, 1.0, 1.5, 1.96, 2.58)
TRAIN_SHARE = 0.7
ORDERS = ("date", "newest", "up-votes", "helpful", "helpful + answerer's accepted answers")


@dataclass
class Answer:
    pk: int
    created_at: datetime
    author_id: int
    votes: list[datetime] = field(default_factory=list)


@dataclass
class Question:
    pk: int
    created_at: datetime
    accepted_id: int
    accepted_at: datetime
    answers: list[Answer]  # oldest first


def questions(space: Space | None = None) -> list[Question]:
    """The questions measured, oldest first (three queries)."""
    threads = Thread.objects.filter(kind=Thread.Kind.QUESTION, is_deleted=False,
                                    accepted_answer__isnull=False, accepted_at__isnull=False,
                                    answer_count__gte=2)
    if space is not None:
        threads = threads.filter(space=space)
    found = {pk: (created, accepted, at) for pk, created, accepted, at in threads.values_list(
        "pk", "created_at", "accepted_answer_id", "accepted_at")}
    answers: dict[int, list[Answer]] = defaultdict(list)
    by_pk: dict[int, Answer] = {}
    for pk, thread_id, created, author in (
            Post.objects.filter(thread_id__in=found, kind=Post.Kind.ANSWER, is_deleted=False,
                                status=Post.Status.PUBLISHED)
            .order_by("created_at", "pk").values_list("pk", "thread_id", "created_at",
                                                       "author_id")):
        by_pk[pk] = answer = Answer(pk=pk, created_at=created, author_id=author)
        answers[thread_id].append(answer)
    for post_id, created in Vote.objects.filter(
            post_id__in=by_pk, kind=Vote.Kind.HELPFUL).values_list("post_id", "created_at"):
        by_pk[post_id].votes.append(created)
    measured = [
        Question(pk=pk, created_at=created, accepted_id=accepted, accepted_at=at,
                 answers=answers[pk])
        for pk, (created, accepted, at) in found.items()
        if len(answers[pk]) >= 2 and any(a.pk == accepted for a in answers[pk])]
    return sorted(measured, key=lambda q: (q.created_at, q.pk))


def accepted_history(space: Space | None = None) -> dict[int, list[datetime]]:
    """When each member's answers were accepted in the community (for the variant that
    prefers answerers accepted before)."""
    threads = Thread.objects.filter(accepted_answer__isnull=False, accepted_at__isnull=False)
    if space is not None:
        threads = threads.filter(space=space)
    history: dict[int, list[datetime]] = defaultdict(list)
    for author, at in threads.values_list("accepted_answer__author_id", "accepted_at"):
        history[author].append(at)
    return history


def _rankings(question: Question, cutoff: datetime, z: float, history) -> dict[str, int]:
    """The answer each order puts first."""
    answers = question.answers
    before = {a.pk: [v for v in a.votes if v < cutoff] for a in answers}

    def first(key) -> int:  # the best key; ties to the earlier answer (``answers`` order)
        return max(enumerate(answers), key=lambda pair: (key(pair[1]), -pair[0]))[1].pk

    prior = {a.pk: sum(1 for at in history.get(a.author_id, ()) if at < question.accepted_at)
             for a in answers}
    scores = {a.pk: _helpful(a, answers, before, z) for a in answers}
    return {
        "date": answers[0].pk,
        "newest": max(answers, key=lambda a: (a.created_at, a.pk)).pk,
        "up-votes": first(lambda a: len(before[a.pk])),
        "helpful": first(lambda a: scores[a.pk]),
        "helpful + answerer's accepted answers": first(lambda a: (scores[a.pk], prior[a.pk])),
    }


def _helpful(answer: Answer, answers: list[Answer], before: dict, z: float) -> float:
    """Gravity's score of ``answer`` from the votes in ``before``: its own votes out of the
    votes on the thread's answers cast since it was posted (its own included), as the vote
    service stores them (``answer_order.vote_counted``)."""
    seen = len(before[answer.pk]) + sum(
        1 for other in answers if other.pk != answer.pk
        for vote in before[other.pk] if vote >= answer.created_at)
    return helpful_lower_bound(len(before[answer.pk]), seen, z)


def _shares(measured: list[Question], *, same_day: bool, z: float, history) -> dict:
    hits = dict.fromkeys(ORDERS, 0)
    for question in measured:
        cutoff = question.accepted_at + (timedelta(days=1) if same_day else timedelta(0))
        for order, pk in _rankings(question, cutoff, z, history).items():
            hits[order] += pk == question.accepted_id
    n = len(measured)
    return {"questions": n, **{order: (hits[order] / n if n else 0.0) for order in ORDERS},
            "hits": hits}


def evaluate(space: Space | None = None) -> dict:
    started = time.perf_counter()
    measured = questions(space)
    history = accepted_history(space)
    cut = int(len(measured) * TRAIN_SHARE)
    train, test = measured[:cut], measured[cut:]
    tuning = {z: _shares(train, same_day=False, z=z, history=history)["helpful"]
              for z in Z_CANDIDATES}
    chosen = max(Z_CANDIDATES, key=lambda z: (tuning[z], -z))  # ties: the smaller z
    result = {
        "space": space.slug if space else None,
        "questions": len(measured),
        "z_shipped": Z,
        "z_chosen_on_first_70pct": chosen,
        "tuning_first_70pct_strict": {str(z): share for z, share in tuning.items()},
        "first_question_of_last_30pct": test[0].created_at.date().isoformat() if test else None,
        "strict": {}, "same_day": {},
    }
    for reading, same_day in (("strict", False), ("same_day", True)):
        for part, chunk in (("all", measured), ("first_70pct", train), ("last_30pct", test)):
            result[reading][part] = _shares(chunk, same_day=same_day, z=Z, history=history)
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result


def table(result: dict) -> str:
    """The result as the Markdown table docs/answer-order.md shows."""
    head = ("| order | " + " | ".join(
        f"{reading} {part}" for reading in ("strict", "same_day")
        for part in ("all", "first_70pct", "last_30pct")) + " |")
    lines = [head, "|" + " --- |" * 7]
    for order in ORDERS:
        cells = [f"{result[reading][part][order]:.1%}" for reading in ("strict", "same_day")
                 for part in ("all", "first_70pct", "last_30pct")]
        lines.append(f"| {order} | " + " | ".join(cells) + " |")
    counts = [str(result["strict"][part]["questions"])
              for part in ("all", "first_70pct", "last_30pct")] * 2
    lines.append("| questions | " + " | ".join(counts) + " |")
    return "\n".join(lines)
