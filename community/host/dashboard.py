"""Community health: do customers talk to each other, or only to the brand?

The words of ARCHITECTURE.md, defined once here and computed in SQL over a period:

- *post*: an opening post, answer or reply that is not deleted and not waiting in the
  review queue, in a thread that is not deleted. *Staff* and *member* posts are the
  dashboard's reading of :mod:`community.words`: staff posts are those written as a staff
  host (``Post.author_role``, fixed at write time); every other post, partners' and former
  members' included, is a *member* post.
- **social ratio** = member posts / posts.
- A *question* counts in the period it was asked; its answers count whenever they came.
  *Answered*: at least one answer (replies never count). *Peer answered*: its first answer
  came from a member other than the asker. **peer answer share** = peer answered / answered.
- **accepted peer share** = questions whose accepted answer is by a member other than the
  asker / questions with an accepted answer.
- **time to first peer answer**: over questions with at least one answer by a member other
  than the asker, hours from the question to the first such answer; median (the mean of the
  two middle values when their number is even) and 90th percentile.
- **brand-dominated thread**: a thread started in the period with at least 3 posts of which
  staff wrote more than half (:func:`community.words.brand_dominated`, the brand being staff:
  partners are members here).
- **unanswered question**: a question of the period with no answer.
- **invitation growth**: invitations created in the period, members who joined through an
  invitation in the period, and joined members per inviting member.
- **advocates**: members ranked by the help they gave other members in the period (peer
  answers, accepted answers, helpful votes received, invites that joined, each as
  :mod:`community.words` defines it for the Advocates page too), weighted as in
  :mod:`community.engine.ranking`.
- **all time**: from the day of the first post to today (:meth:`Period.all_time`).
- **change**: each headline figure against the same figure of the previous period of the
  same length (:meth:`Period.previous`, :func:`changes`), computed by :func:`health` too;
  "no earlier data" when nothing happened then; none for all time.

Ratios are fractions between 0 and 1, ``None`` when the denominator is 0.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from statistics import median

from django.db import connection
from django.db.models import (
    Aggregate,
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
from django.db.models.functions import TruncDay, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from community import words
from community.engine import ranking
from community.models import Invitation, Post, Thread, User, Vote

# The dashboard's reading of the words: partners are members, only staff is the brand.
STAFF_POST, MEMBER_POST = words.STAFF_POST, words.MEMBER_POST
DOMINATED_MIN_POSTS = words.DOMINATED_MIN_POSTS
#: Below this social ratio the brand does most of the talking.
PARTY_LINE = 0.5
# The days a period may name: far enough back for any imported history, and short of the
# calendar's end (the day after 31 December 9999 cannot be computed).
EARLIEST_DAY, LATEST_DAY = date(1990, 1, 1), date(2100, 12, 31)
PERIOD_RANGE = gettext_lazy("Choose days between 1 January 1990 and 31 December 2100.")
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


@dataclass(frozen=True)
class Period:
    """Days ``since`` to ``until``, both included (``None``: unbounded)."""

    since: date | None = None
    until: date | None = None
    whole_history: bool = False  # chosen as "all time": ``since`` is the first post's day
    days: int | None = None  # chosen as "the last N days"

    @property
    def start(self) -> datetime | None:
        if self.since is None:
            return None
        return timezone.make_aware(datetime.combine(self.since, time.min), UTC)

    @property
    def end(self) -> datetime | None:
        if self.until is None:
            return None
        return timezone.make_aware(
            datetime.combine(self.until + timedelta(days=1), time.min), UTC
        )

    def q(self, field: str) -> Q:
        condition = Q()
        if self.start is not None:
            condition &= Q(**{f"{field}__gte": self.start})
        if self.end is not None:
            condition &= Q(**{f"{field}__lt": self.end})
        return condition

    @classmethod
    def last_days(cls, days: int, *, today: date | None = None) -> Period:
        today = today or timezone.now().date()
        return cls(since=today - timedelta(days=days - 1), until=today, days=days)

    @classmethod
    def all_time(cls, *, today: date | None = None) -> Period:
        """From the day of the first post (today on a site without posts) to today."""
        today = today or timezone.now().date()
        return cls(since=min(first_post_day() or today, today), until=today, whole_history=True)


    @property
    def length(self) -> int | None:
        """Its number of days, ``None`` when it is unbounded."""
        if self.since is None or self.until is None:
            return None
        return (self.until - self.since).days + 1

    def previous(self) -> Period | None:
        """The period of the same length just before this one, to compare with; ``None``
        for "all time" and unbounded periods, which have nothing before them."""
        if self.whole_history or self.length is None:
            return None
        return Period(since=self.since - timedelta(days=self.length),
                      until=self.since - timedelta(days=1), days=self.days)


def first_post_day() -> date | None:
    """The day of the community's first post, ``None`` before there is one (1 query)."""
    first = live_posts().order_by("created_at").values_list("created_at", flat=True).first()
    return first.astimezone(UTC).date() if first else None


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


class _Percentile(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(%(p)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, p: float, **extra):
        super().__init__(expression, p=float(p), **extra)


def percentile(values: list[float], p: float) -> float | None:
    """Linear interpolation between closest ranks, as PostgreSQL's ``percentile_cont``."""
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def live_posts():
    return Post.objects.filter(is_deleted=False, thread__is_deleted=False,
                               status=Post.Status.PUBLISHED)


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
        row = qs.aggregate(median=_Percentile(hours, 0.5), p90=_Percentile(hours, 0.9),
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


# What members (not staff) did, by engagement strategy (``engine.strategies``: each event
# kind names its strategy where it is declared, and a mark the writer put in the payload
# moves a post to content or commerce).


def _strategy_rows(period: Period, *, bucket=None):
    from community.engine import strategies
    from community.models import EngagementEvent

    rows = (
        EngagementEvent.objects.filter(period.q("created_at"),
                                       kind__in=strategies.counted_kinds(),
                                       actor__isnull=False)
        .exclude(words.staff_person("actor"))
        .annotate(what=strategies.classify()).exclude(what="")
    )
    if bucket is not None:
        rows = rows.annotate(bucket=bucket("created_at")).values("bucket", "what")
    else:
        rows = rows.values("what")
    return rows.annotate(n=Count("pk"))


def engagement_mix(period: Period) -> list[dict]:
    """Members' engagement events in ``period`` by strategy, with what would start each
    that has none (1 query)."""
    from community.engine import strategies

    totals = dict.fromkeys(strategies.NAMES, 0)
    for row in _strategy_rows(period):
        totals[row["what"]] += row["n"]
    everything = sum(totals.values())
    return [{"name": s.name, "label": s.label, "count": totals[s.name], "start": s.start,
             "share": ratio(totals[s.name], everything)} for s in strategies.STRATEGIES]


def engagement_over_time(period: Period) -> list[dict]:
    """Per day (periods up to 31 days) or per week: members' events by strategy
    (``{"day": date, "counts": {strategy: n}, "total": n}``, oldest first; 1 query)."""
    from community.engine import strategies

    start = period.start or Period(since=first_post_day() or timezone.now().date()).start
    end = period.end or timezone.now()
    trunc = TruncDay if (end - start) <= timedelta(days=31) else TruncWeek
    buckets: dict = {}
    for row in _strategy_rows(period, bucket=trunc):
        day = row["bucket"].date()
        counts = buckets.setdefault(day, dict.fromkeys(strategies.NAMES, 0))
        counts[row["what"]] += row["n"]
    return [{"day": day, "counts": counts, "total": sum(counts.values())}
            for day, counts in sorted(buckets.items())]


def cli_health(period: Period | None = None) -> dict:
    """The figures ``community_health --json`` prints, in its documented keys."""
    figures = health(period)
    return {key: figures[key] for key in CLI_KEYS}


# The headline figures the dashboard compares with the previous period, and how: a share
# changes by percentage points, a count or a duration by a percentage of what it was.
COMPARED = (
    ("social_ratio", "points"), ("peer_answer_share", "points"),
    ("accepted_peer_share", "points"), ("median_hours_to_first_peer_answer", "relative"),
    ("brand_dominated_threads", "relative"), ("unanswered_questions", "relative"),
    ("invites_joined", "relative"),
)
NO_EARLIER_DATA = gettext_lazy("no earlier data")


def had_activity(figures: dict) -> bool:
    """Whether anything the dashboard counts happened in a period (posts, questions,
    invitations, members who joined through one)."""
    return any(figures[key] for key in ("posts", "questions", "invites_sent", "invites_joined"))


def changes(figures: dict, earlier: dict | None, previous: Period | None) -> dict:
    """Each compared figure of :func:`health` against the same figure of the previous
    period of the same length: ``{key: {"text": "+12% vs previous 30 days", "direction":
    "up" | "down" | "same" | None}}`` ("no earlier data" when nothing happened then);
    empty when there is no previous period (all time)."""
    if previous is None or earlier is None:
        return {}
    n = previous.length
    if not had_activity(earlier):
        return {key: {"text": NO_EARLIER_DATA, "direction": None} for key, _ in COMPARED}
    result = {}
    for key, how in COMPARED:
        now, then = figures[key], earlier[key]
        if then is None:
            result[key] = {"text": NO_EARLIER_DATA, "direction": None}
        elif now is None:
            result[key] = {"text": ngettext("nothing to compare with the previous %(n)d day",
                                            "nothing to compare with the previous %(n)d days",
                                            n) % {"n": n}, "direction": None}
        elif now == then:
            result[key] = {"text": ngettext("same as previous %(n)d day",
                                            "same as previous %(n)d days", n) % {"n": n},
                           "direction": "same"}
        elif how == "points":
            result[key] = _change(now - then, 100, "points", n)
        elif then == 0:
            result[key] = {"text": ngettext("up from 0 in the previous %(n)d day",
                                            "up from 0 in the previous %(n)d days", n)
                           % {"n": n}, "direction": "up"}
        else:
            result[key] = _change((now - then) / then, 100, "%", n)
    return result


def _change(delta: float, scale: int, unit: str, days: int) -> dict:
    shown = round(abs(delta) * scale)
    sign = "+" if delta > 0 else "\u2212"  # a real minus sign, as typeset
    amount = f"{sign}{shown}" if shown else f"{sign}<1"
    if unit == "%":
        change = f"{amount}%"
    else:
        change = ngettext("%(amount)s point", "%(amount)s points", shown or 1) % {
            "amount": amount}
    return {"text": ngettext("%(change)s vs previous %(n)d day",
                             "%(change)s vs previous %(n)d days", days)
            % {"change": change, "n": days}, "direction": "up" if delta > 0 else "down"}


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
    """Per day (periods up to 31 days) or per week: posts, social ratio, peer answer share."""
    start = period.start or Period(since=first_post_day() or timezone.now().date()).start
    end = period.end or timezone.now()
    trunc = TruncDay if (end - start) <= timedelta(days=31) else TruncWeek
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
    for day in sorted(set(posts) | set(answers)):
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
