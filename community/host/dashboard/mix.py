"""What members (not staff) did over a period, by engagement strategy."""
from __future__ import annotations

from django.db.models import Count

from community import words

from .period import Period, chart_buckets, ratio

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
    """Per day, week or month (:func:`chart_buckets`), every one: members' events by strategy
    (``{"day": date, "counts": {strategy: n}, "total": n}``, oldest first; 1 query)."""
    from community.engine import strategies

    trunc, days = chart_buckets(period)
    buckets = {day: dict.fromkeys(strategies.NAMES, 0) for day in days}
    for row in _strategy_rows(period, bucket=trunc):
        counts = buckets.setdefault(row["bucket"].date(), dict.fromkeys(strategies.NAMES, 0))
        counts[row["what"]] += row["n"]
    return [{"day": day, "counts": counts, "total": sum(counts.values())}
            for day, counts in sorted(buckets.items())]
