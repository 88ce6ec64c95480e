"""Each headline figure against the previous period of the same length."""
from __future__ import annotations

from django.utils.translation import gettext_lazy, ngettext

from .period import Period

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
