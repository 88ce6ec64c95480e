"""Host tools (staff only): the community-health dashboard and advocates."""
import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from community import pages, permissions
from community.commerce.health import product_health
from community.forms import HealthPeriodForm
from community.host import dashboard as metrics  # the view below is named dashboard
from community.pages.invalidation import HEALTH
from community.selectors import advocates as advocate_selectors
from community.selectors.feeds import page_number
from community.selectors.paging import page_slice

CHART_W, CHART_H = 600, 120
# The engagement mix's bars: a 320-wide box, a row per kind (its label, then its bar).
BAR_W, BAR_ROW, BAR_H, BAR_MAX = 320, 46, 16, 220
DOMINATED_PAGE_SIZE = 30


def _require_host(request, what=None):
    permissions.require(permissions.can_use_host_tools(request.user),
                        gettext("%(what)s for the host team.")
                        % {"what": what or gettext("Host tools are")})


def chart(points: list[dict], key: str) -> dict:
    """Bars for an SVG chart of a 0..1 figure (``None`` shows as a gap)."""
    n = max(len(points), 1)
    step = CHART_W / n
    bars = []
    for i, point in enumerate(points):
        value = point[key]
        height = round((value or 0) * CHART_H, 1)
        bars.append({
            "x": round(i * step + step * 0.1, 1), "w": round(step * 0.8, 1),
            "y": round(CHART_H - height, 1), "h": height, "value": value,
            "day": point["day"],
        })
    return {"bars": bars, "w": CHART_W, "h": CHART_H, "party_y": CHART_H * (1 - metrics.PARTY_LINE)}


def bar_chart(rows: list[dict]) -> dict:
    """Horizontal bars for an SVG chart of counts, one row per ``rows`` item (label above
    its bar, the figure after the bar's track), drawn in a narrow box so the text stays legible when
    the chart is scaled down to a phone's width."""
    top = max((row["count"] for row in rows), default=0) or 1
    bars = []
    for i, row in enumerate(rows):
        y = i * BAR_ROW
        width = round(row["count"] / top * BAR_MAX, 1)
        bars.append({**row, "label_y": y + 15, "bar_y": y + 22, "w": width,
                     "value_x": BAR_MAX + 6, "value_y": y + 35})
    return {"bars": bars, "w": BAR_W, "h": BAR_ROW * len(rows), "bar_h": BAR_H,
            "track_w": BAR_MAX, "total": sum(row["count"] for row in rows)}


STACK_W, STACK_H = 600, 160


def stacked_chart(buckets: list[dict], names: list[str]) -> dict:
    """Columns of counts stacked by strategy, one per ``engagement_over_time`` bucket."""
    top = max((b["total"] for b in buckets), default=0) or 1
    n = max(len(buckets), 1)
    step = STACK_W / n
    columns = []
    for i, bucket in enumerate(buckets):
        y, parts = float(STACK_H), []
        for name in names:
            count = bucket["counts"].get(name, 0)
            if not count:
                continue
            height = round(count / top * STACK_H, 1)
            y = round(y - height, 1)
            parts.append({"name": name, "count": count, "y": y, "h": height})
        columns.append({"day": bucket["day"], "total": bucket["total"], "parts": parts,
                        "counts": [bucket["counts"].get(name, 0) for name in names],
                        "x": round(i * step + step * 0.1, 1), "w": round(step * 0.8, 1)})
    return {"columns": columns, "w": STACK_W, "h": STACK_H, "top": top,
            "total": sum(b["total"] for b in buckets),
            "first": buckets[0]["day"] if buckets else None,
            "last": buckets[-1]["day"] if buckets else None}


def period_name(period) -> str:
    """What the period picker calls ``period``, for the page's heading."""
    if period.whole_history:
        return "All time"
    if period.days is not None:
        return dict(HealthPeriodForm.DAYS).get(str(period.days), f"Last {period.days} days")
    return "Custom dates"


@login_required
@require_GET
def dashboard(request):
    """Is the community talking to itself? Template ``community/host_dashboard.html``.

    An invalid period shows the form with its errors and no figures, never another
    period's figures. Each headline figure is compared with the period of the same length
    just before (:func:`community.host.dashboard.changes`): a fixed six queries more."""
    _require_host(request, gettext("The community-health dashboard is"))
    form = HealthPeriodForm(request.GET or None)
    period = form.period()
    context = {"form": form, "period": period, "all_time": HealthPeriodForm.ALL_TIME,
               "query": request.GET.urlencode()}
    if period is None:
        return render(request, "community/host_dashboard.html", context)
    kept = pages.remember(
        ("dashboard", period.since, period.until, period.whole_history, period.days),
        lambda: _dashboard_figures(period), tags=(HEALTH,))
    figures, previous, mix = kept["figures"], kept["previous"], kept["mix"]
    return render(request, "community/host_dashboard.html", {
        **context, **kept, "period_name": period_name(period),
        "changes": metrics.changes(figures, kept["earlier"], previous),
        "social_chart": chart(kept["trends"], "social_ratio"),
        "peer_chart": chart(kept["trends"], "peer_answer_share"),
        "brand_spaces": [s for s in kept["spaces"] if s["brand_talks"]],
        "brand_talks": figures["social_ratio"] is not None
        and figures["social_ratio"] < metrics.PARTY_LINE,
        "mix_chart": bar_chart(mix),
        "mix_quiet": [row for row in mix if not row["count"]],
        "mix_over_time": stacked_chart(kept["mix_over_time"], [row["name"] for row in mix]),
        "mix_labels": [row["label"] for row in mix],
        # Asks are written by the router, not by an event of their own: read every time.
        "routing": advocate_selectors.routing_stats(),
    })


def _dashboard_figures(period) -> dict:
    """Every figure the dashboard shows for ``period`` (the view keeps them under
    ``health``, which every event bumps, so a host sees each write on the next visit)."""
    figures = metrics.health(period)
    previous = period.previous()
    mix = metrics.engagement_mix(period)
    if previous:
        before = {row["name"]: row["count"] for row in metrics.engagement_mix(previous)}
        for row in mix:
            row["before"] = before[row["name"]]
    quiet = not figures["posts"] and not figures["questions"] and not period.whole_history
    return {
        "figures": figures, "previous": previous,
        "earlier": metrics.health(previous) if previous else None,
        "trends": metrics.trends(period), "spaces": metrics.spaces(period),
        # An empty period on a site with a history (an import, say) points to all of it.
        "history_from": metrics.first_post_day() if quiet else None,
        "advocates": metrics.advocates(period), "mix": mix,
        "mix_over_time": metrics.engagement_over_time(period),
        "products": product_health(period),
    }


@login_required
@require_GET
def dashboard_csv(request):
    """The dashboard's figures, per-space ratios and trend as a CSV file."""
    _require_host(request, gettext("The community-health figures are"))
    form = HealthPeriodForm(request.GET or None)
    period = form.period()
    if period is None:
        errors = " ".join(error for errors in form.errors.values() for error in errors)
        return HttpResponseBadRequest(f"{gettext('No CSV for this period.')} {errors}",
                                      content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="community-health-{period.since}-{period.until}.csv"')
    writer = csv.writer(response)
    writer.writerow(["section", "name", "value"])
    for key, value in metrics.health(period).items():
        writer.writerow(["community", key, "" if value is None else value])
    for row in metrics.engagement_mix(period):
        writer.writerow(["engagement_mix", row["name"], row["count"]])
    for bucket in metrics.engagement_over_time(period):
        for name, n in bucket["counts"].items():
            writer.writerow([f"trend_{name}", bucket["day"].isoformat(), n])
    for row in metrics.spaces(period):
        writer.writerow(["space_social_ratio", _csv_safe(row["name"]), row["social_ratio"]])
    for row in metrics.trends(period):
        day = row["day"].isoformat()
        writer.writerow(["trend_posts", day, row["posts"]])
        writer.writerow(["trend_social_ratio", day, _none(row["social_ratio"])])
        writer.writerow(["trend_peer_answer_share", day, _none(row["peer_answer_share"])])
    return response


def _none(value):
    return "" if value is None else value


def _csv_safe(text: str) -> str:
    """Stop a spreadsheet from running a name that starts like a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_GET
def dominated_threads(request):
    """The brand-dominated threads the dashboard counts, for its period, newest first.
    Template ``community/host_dominated.html``."""
    _require_host(request, gettext("The community-health dashboard is"))
    form = HealthPeriodForm(request.GET or None)
    # An invalid period is named in an error above the list, which then shows the default
    # period and says which in its first sentence.
    period = form.period() or form.default_period()
    page = page_slice(metrics.dominated_threads(period).select_related("space", "author"),
                      page=page_number(request.GET.get("page")), size=DOMINATED_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "community/host_dominated.html", {
        "form": form, "period": period, "page": page, "query": query.urlencode(),
        "min_posts": metrics.DOMINATED_MIN_POSTS,
    })


@login_required
@require_GET
def advocates(request):
    """Members ranked by help given to other members. Template ``community/advocates.html``."""
    _require_host(request, gettext("The advocates page is"))
    page = advocate_selectors.advocates_page(page=page_number(request.GET.get("page")))
    return render(request, "community/advocates.html", {
        "page": page, "helper_top": advocate_selectors.HELPER_TOP,
        "routing": advocate_selectors.routing_stats(),
    })
