"""Retention and growth: do new members arrive, take part, and come back?

docs/strategy.md gives the definitions; in short (weeks start on Monday, months on the 1st,
both UTC; *posts* are the dashboard's, :func:`community.host.dashboard.live_posts`):

- A *member* here is a person who joined: not staff (:func:`community.words.staff_person`),
  not a former member's placeholder, not an imported account nobody has claimed yet.
- **new members per week**: members whose ``date_joined`` falls in the week, for the last
  :data:`WEEKS` weeks (this one included).
- **posted within 7 days**: of a week's new members, those with a post written less than
  7 days (168 hours) after they joined; the share is of that week's new members.
- **invitations to joins**: per week, invitations created, and members who joined through
  an invitation (``invited_by``).
- **active** in a month: wrote a post as a member in it. **Returning**: active this month
  and active the month before; the share is of the month before's active members.
- **cohort retention**: members who joined in a month (the *cohort*, last :data:`MONTHS`
  months) and the share of them active in their joining month (month 0) and each month
  after, up to this one.

:func:`growth` costs 4 queries whatever the number of members.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
)
from django.db.models.functions import ExtractMonth, ExtractYear, TruncMonth, TruncWeek
from django.utils import timezone

from community import words
from community.host.dashboard import live_posts, ratio
from community.models import Invitation, User

WEEKS = 12
MONTHS = 6
FIRST_WEEK_DAYS = 7


def members(prefix: str = "") -> Q:
    """People who joined (``prefix``: the path to the user, e.g. ``"author"``)."""
    p = f"{prefix}__" if prefix else ""
    return (~words.staff_person(prefix)
            & Q(**{f"{p}is_former_member": False, f"{p}is_unclaimed": False}))


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_of(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _month_number(field: str):
    """``year * 12 + month - 1`` of a moment, in UTC: one month, one number."""
    return ExtractYear(field, tzinfo=UTC) * 12 + ExtractMonth(field, tzinfo=UTC) - 1


def _day(value) -> date:
    """A truncated bucket (a datetime on PostgreSQL, sometimes a date) as a UTC day."""
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if timezone.is_aware(value) else value).date()
    return value


@dataclass(frozen=True)
class Growth:
    weeks: list[dict]
    months: list[dict]
    cohorts: list[dict]
    today: date

    @property
    def this_month(self) -> dict:
        return self.months[-1]


def growth(*, today: date | None = None) -> Growth:
    """Every figure of the growth page and its CSV (4 queries)."""
    today = today or timezone.now().date()
    return Growth(weeks=weekly(today), **_monthly(today), today=today)


def weekly(today: date) -> list[dict]:
    """New members, their first week, invitations and joins per week (2 queries)."""
    first = week_of(today) - timedelta(weeks=WEEKS - 1)
    since, until = _start(first), _start(week_of(today) + timedelta(weeks=1))
    posted_soon = Exists(live_posts().filter(
        author=OuterRef("pk"), created_at__lt=ExpressionWrapper(
            OuterRef("date_joined") + timedelta(days=FIRST_WEEK_DAYS),
            output_field=DateTimeField())))
    joined = {
        _day(row["week"]): row for row in
        User.objects.filter(members(), date_joined__gte=since, date_joined__lt=until)
        .annotate(week=TruncWeek("date_joined", tzinfo=UTC), posted=posted_soon)
        .values("week").annotate(
            joined=Count("pk"), posted_soon=Count("pk", filter=Q(posted=True)),
            invited=Count("pk", filter=Q(invited_by__isnull=False)))
    }
    invites = dict(
        (_day(week), n) for week, n in
        Invitation.objects.filter(created_at__gte=since, created_at__lt=until)
        .annotate(week=TruncWeek("created_at", tzinfo=UTC)).values("week")
        .annotate(n=Count("pk")).values_list("week", "n"))
    rows = []
    for i in range(WEEKS):
        week = first + timedelta(weeks=i)
        row = joined.get(week, {})
        n = row.get("joined", 0)
        rows.append({
            "week": week, "joined": n, "posted_soon": row.get("posted_soon", 0),
            "posted_soon_share": ratio(row.get("posted_soon", 0), n),
            "invites_sent": invites.get(week, 0), "invites_joined": row.get("invited", 0),
        })
    return rows


def _monthly(today: date) -> dict:
    """Active and returning members per month and the join-month cohorts (2 queries)."""
    current = month_of(today)
    first = add_months(current, -(MONTHS - 1))
    until = _start(add_months(current, 1))
    # Months as whole numbers (year * 12 + month - 1): no datetime to build per row.
    pairs = (
        live_posts().filter(words.member_post(), members("author"),
                            created_at__gte=_start(add_months(first, -1)), created_at__lt=until)
        .annotate(month=_month_number("created_at"),
                  joined=_month_number("author__date_joined"))
        .values_list("author_id", "month", "joined").order_by().distinct()
    )
    active: dict[date, set[int]] = {}
    joined_month: dict[int, date] = {}
    months_by_number: dict[int, date] = {}
    for author_id, month, joined in pairs:
        for number in (month, joined):
            if number not in months_by_number:
                months_by_number[number] = date(number // 12, number % 12 + 1, 1)
        active.setdefault(months_by_number[month], set()).add(author_id)
        joined_month[author_id] = months_by_number[joined]
    months = []
    for i in range(MONTHS):
        month = add_months(first, i)
        now, before = active.get(month, set()), active.get(add_months(month, -1), set())
        returning = len(now & before)
        months.append({"month": month, "active": len(now), "active_before": len(before),
                       "returning": returning, "returning_share": ratio(returning, len(before))})
    sizes = {
        month_of(_day(month)): n for month, n in
        User.objects.filter(members(), date_joined__gte=_start(first), date_joined__lt=until)
        .annotate(month=TruncMonth("date_joined", tzinfo=UTC)).values("month")
        .annotate(n=Count("pk")).values_list("month", "n")
    }
    cohorts = []
    for i in range(MONTHS):
        cohort = add_months(first, i)
        size = sizes.get(cohort, 0)
        cells = []
        for k in range(MONTHS):
            month = add_months(cohort, k)
            if month > current:
                cells.append(None)  # not yet
                continue
            kept = sum(1 for pk in active.get(month, ()) if joined_month.get(pk) == cohort)
            cells.append({"month": month, "active": kept, "share": ratio(kept, size)})
        cohorts.append({"month": cohort, "size": size, "cells": cells})
    return {"months": months, "cohorts": cohorts}


def csv_rows(figures: Growth):
    """(section, period, name, value) rows for the CSV."""
    for row in figures.weeks:
        week = row["week"].isoformat()
        for name in ("joined", "posted_soon", "posted_soon_share", "invites_sent",
                     "invites_joined"):
            yield ("week", week, name, row[name])
    for row in figures.months:
        month = row["month"].isoformat()
        for name in ("active", "returning", "returning_share"):
            yield ("month", month, name, row[name])
    for row in figures.cohorts:
        cohort = row["month"].isoformat()
        yield ("cohort", cohort, "size", row["size"])
        for k, cell in enumerate(row["cells"]):
            if cell is not None:
                yield ("cohort", cohort, f"month_{k}_active", cell["active"])
                yield ("cohort", cohort, f"month_{k}_share", cell["share"])


__all__ = ["Growth", "csv_rows", "growth", "weekly"]
