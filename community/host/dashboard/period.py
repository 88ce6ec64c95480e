"""The dashboard's period (the last N days, all time, two dates), the posts every figure
counts and the arithmetic of its figures."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Aggregate, FloatField, Q
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy

from community.models import Post

# The days a period may name: far enough back for any imported history, and short of the
# calendar's end (the day after 31 December 9999 cannot be computed).
EARLIEST_DAY, LATEST_DAY = date(1990, 1, 1), date(2100, 12, 31)
PERIOD_RANGE = gettext_lazy("Choose days between 1 January 1990 and 31 December 2100.")

#: Periods up to this many days are charted by week, longer ones by month.
CHART_WEEKS_UP_TO = 731


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


def chart_buckets(period: Period) -> tuple[type, list[date]]:
    """How the period's charts count (``TruncDay`` for up to 31 days, ``TruncWeek`` for up to
    two years, else ``TruncMonth``) and every bucket's first day, oldest first, quiet ones
    included: a chart that left out the days nothing happened would draw two posts ten days
    apart side by side."""
    start = period.start or Period(since=first_post_day() or timezone.now().date()).start
    end = period.end or timezone.now()
    first = start.astimezone(UTC).date()
    last = (end - timedelta(microseconds=1)).astimezone(UTC).date()
    if end - start <= timedelta(days=31):
        return TruncDay, [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if end - start <= timedelta(days=CHART_WEEKS_UP_TO):
        monday = first - timedelta(days=first.weekday())
        return TruncWeek, [monday + timedelta(days=7 * n)
                           for n in range((last - monday).days // 7 + 1)]
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    return TruncMonth, [date(first.year + (first.month - 1 + n) // 12,
                             (first.month - 1 + n) % 12 + 1, 1) for n in range(months)]


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


class Percentile(Aggregate):
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
