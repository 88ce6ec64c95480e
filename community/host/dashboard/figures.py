"""The health figures over a period: posts, questions and their peer answers, time to the
first peer answer, brand-dominated threads, invitations, spaces, trends and advocates."""
from __future__ import annotations

from statistics import median

from django.db import connection
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
)

from community import words
from community.engine import ranking
from community.models import Invitation, Post, Thread, User, Vote

from .period import Percentile, Period, chart_buckets, live_posts, percentile, ratio

# The dashboard's reading of the words: partners are members, only staff is the brand.
STAFF_POST, MEMBER_POST = words.STAFF_POST, words.MEMBER_POST
DOMINATED_MIN_POSTS = words.DOMINATED_MIN_POSTS
#: Below this social ratio the brand does most of the talking.
PARTY_LINE = 0.5
#: A space needs this many posts in the period before it is judged.
SPACE_MIN_POSTS = 3


CLI_KEYS = (
    "posts", "member_posts", "staff_posts", "social_ratio", "questions",
    "answered_questions", "peer_answered_questions", "peer_answer_share",
    "accepted_questions", "peer_accepted_questions", "accepted_peer_share",
    "median_hours_to_first_peer_answer", "p90_hours_to_first_peer_answer",
    "brand_dominated_threads", "unanswered_questions",
    "invites_sent", "invites_joined",
)


def _answers():
    return Post.objects.filter(thread=OuterRef("pk"), kind=Post.Kind.ANSWER, is_deleted=False,
                               status=Post.Status.PUBLISHED)


def _peer_answers():
    return _answers().filter(MEMBER_POST).exclude(author=OuterRef("author_id"))


def questions(period: Period):
    """Questions of the period, annotated with what the definitions need."""
    first = _answers().order_by("created_at", "pk")
    return (
        Thread.objects.filter(period.q("created_at"), kind=Thread.Kind.QUESTION,
                              is_deleted=False, is_hidden=False)
        .annotate(
            answered=Exists(_answers()),
            first_answer_by=Subquery(first.values("author_id")[:1]),
            first_answer_role=Subquery(first.values("author_role")[:1]),
            first_peer_at=Subquery(
                _peer_answers().order_by("created_at", "pk").values("created_at")[:1]
            ),
        )
    )


def _peer_first_q() -> Q:
    return (Q(answered=True) & words.member_post("first_answer_role")
            & ~Q(first_answer_by=F("author_id")))


def _peer_accepted_q() -> Q:
    return (Q(accepted_answer__isnull=False)
            & words.member_post("accepted_answer__author_role")
            & ~Q(accepted_answer__author_id=F("author_id")))


class _Epoch(Func):
    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


def hours_to_first_peer_answer(period: Period) -> dict:
    """Median and 90th percentile of hours to the first peer answer (one query)."""
    qs = questions(period).filter(first_peer_at__isnull=False)
    if connection.vendor == "postgresql":
        delay = ExpressionWrapper(F("first_peer_at") - F("created_at"),
                                  output_field=DurationField())
        hours = ExpressionWrapper(
            _Epoch(delay) / 3600.0, output_field=FloatField()
        )
        row = qs.aggregate(median=Percentile(hours, 0.5), p90=Percentile(hours, 0.9),
                           n=Count("pk"))
        return {"median": row["median"], "p90": row["p90"], "count": row["n"]}
    values = [
        (peer_at - asked).total_seconds() / 3600
        for asked, peer_at in qs.values_list("created_at", "first_peer_at")
    ]
    return {"median": median(values) if values else None, "p90": percentile(values, 0.9),
            "count": len(values)}


def health(period: Period | None = None) -> dict:
    """Every figure of the dashboard and of ``community_health --json`` (6 queries)."""
    period = period or Period()
    posts = live_posts().filter(period.q("created_at")).aggregate(
        posts=Count("pk"), staff_posts=Count("pk", filter=STAFF_POST)
    )
    q = questions(period).aggregate(
        questions=Count("pk"),
        answered_questions=Count("pk", filter=Q(answered=True)),
        peer_answered_questions=Count("pk", filter=_peer_first_q()),
        accepted_questions=Count("pk", filter=Q(accepted_answer__isnull=False)),
        peer_accepted_questions=Count("pk", filter=_peer_accepted_q()),
    )
    timing = hours_to_first_peer_answer(period)
    dominated = dominated_threads(period).count()
    invites = Invitation.objects.filter(period.q("created_at")).count()
    joined = User.objects.filter(period.q("date_joined"), invited_by__isnull=False).aggregate(
        joined=Count("pk"), inviters=Count("invited_by", distinct=True)
    )
    member_posts = posts["posts"] - posts["staff_posts"]
    return {
        "since": period.since.isoformat() if period.since else None,
        "until": period.until.isoformat() if period.until else None,
        "posts": posts["posts"],
        "member_posts": member_posts,
        "staff_posts": posts["staff_posts"],
        "social_ratio": ratio(member_posts, posts["posts"]),
        "questions": q["questions"],
        "answered_questions": q["answered_questions"],
        "peer_answered_questions": q["peer_answered_questions"],
        "peer_answer_share": ratio(q["peer_answered_questions"], q["answered_questions"]),
        "accepted_questions": q["accepted_questions"],
        "peer_accepted_questions": q["peer_accepted_questions"],
        "accepted_peer_share": ratio(q["peer_accepted_questions"], q["accepted_questions"]),
        "median_hours_to_first_peer_answer": timing["median"],
        "p90_hours_to_first_peer_answer": timing["p90"],
        "brand_dominated_threads": dominated,
        "unanswered_questions": q["questions"] - q["answered_questions"],
        "invites_sent": invites,
        "invites_joined": joined["joined"],
        "joined_per_inviter": ratio(joined["joined"], joined["inviters"]),
    }


def dominated_threads(period: Period):
    """Brand-dominated threads started in the period, annotated with their posts (``n``)
    and staff's (``staff``), newest first."""
    live = Q(posts__is_deleted=False, posts__status=Post.Status.PUBLISHED)
    return (
        Thread.objects.filter(period.q("created_at"), is_deleted=False, is_hidden=False)
        .annotate(n=Count("posts", filter=live),
                  staff=Count("posts", filter=live & words.staff_post("posts__author_role")))
        .filter(words.brand_dominated_q(brand="staff", total="n"))
        .order_by("-created_at", "-pk")
    )


def cli_health(period: Period | None = None) -> dict:
    """The figures ``community_health --json`` prints, in its documented keys."""
    figures = health(period)
    return {key: figures[key] for key in CLI_KEYS}


def spaces(period: Period) -> list[dict]:
    """Social ratio per space, with the spaces where the brand does most of the talking."""
    rows = (
        live_posts().filter(period.q("created_at"))
        .values("thread__space__name", "thread__space__slug")
        .annotate(posts=Count("pk"), staff=Count("pk", filter=STAFF_POST))
        .order_by("thread__space__name")
    )
    result = []
    for row in rows:
        social = ratio(row["posts"] - row["staff"], row["posts"])
        result.append({
            "name": row["thread__space__name"], "slug": row["thread__space__slug"],
            "posts": row["posts"], "member_posts": row["posts"] - row["staff"],
            "staff_posts": row["staff"],
            "social_ratio": social,
            "brand_talks": row["posts"] >= SPACE_MIN_POSTS and social < PARTY_LINE,
        })
    return result


def trends(period: Period) -> list[dict]:
    """Per day, week or month (:func:`chart_buckets`), every one of the period's: posts,
    social ratio, peer answer share (``None`` where there was nothing to share)."""
    trunc, days = chart_buckets(period)
    posts = {
        row["bucket"].date(): row
        for row in live_posts().filter(period.q("created_at"))
        .annotate(bucket=trunc("created_at")).values("bucket")
        .annotate(n=Count("pk"), staff=Count("pk", filter=STAFF_POST))
    }
    answers = {
        row["bucket"].date(): row
        for row in questions(period).annotate(bucket=trunc("created_at")).values("bucket")
        .annotate(answered_n=Count("pk", filter=Q(answered=True)),
                  peer_n=Count("pk", filter=_peer_first_q()))
    }
    buckets = []
    for day in sorted(set(days) | set(posts) | set(answers)):
        p, a = posts.get(day, {}), answers.get(day, {})
        n, staff = p.get("n", 0), p.get("staff", 0)
        buckets.append({
            "day": day, "posts": n, "social_ratio": ratio(n - staff, n),
            "peer_answer_share": ratio(a.get("peer_n", 0), a.get("answered_n", 0)),
        })
    return buckets


def advocates(period: Period, *, limit: int = 10) -> list[dict]:
    """words.py's advocates by the help they gave other members in the period, counted as
    the Advocates page counts it over all time (4 grouped queries + names)."""
    help: dict[int, dict] = {}

    def add(rows, key):
        for author_id, n in rows:
            help.setdefault(author_id, {"answers": 0, "accepted": 0, "helpful": 0,
                                        "invites": 0})[key] = n

    answers = live_posts().filter(period.q("created_at"), words.peer_answer(),
                                  words.advocate("author"))
    add(answers.values("author").annotate(n=Count("pk")).values_list("author", "n"),
        "answers")
    # Accepted answers count with the answer's date, as the answer does.
    add(Thread.objects.filter(words.peer_accepted(), words.advocate("accepted_answer__author"),
                              period.q("accepted_answer__created_at"), is_deleted=False)
        .values("accepted_answer__author").annotate(n=Count("pk"))
        .values_list("accepted_answer__author", "n"), "accepted")
    add(Vote.objects.filter(period.q("created_at"), words.helpful_received(),
                            words.advocate("post__author"))
        .values("post__author").annotate(n=Count("pk")).values_list("post__author", "n"),
        "helpful")
    add(User.objects.filter(period.q("date_joined"), words.joined_through_invite(),
                            words.advocate("invited_by"))
        .values("invited_by").annotate(n=Count("pk")).values_list("invited_by", "n"),
        "invites")
    for figures in help.values():
        figures["score"] = ranking.peer_help(
            peer_answers=figures["answers"], accepted_answers=figures["accepted"],
            helpful_received=figures["helpful"], invites_joined=figures["invites"],
        )
    top = sorted(help.items(), key=lambda item: (-item[1]["score"], item[0]))[:limit]
    members = User.objects.in_bulk([pk for pk, _ in top])
    return [{"member": members[pk], **figures} for pk, figures in top if pk in members]
