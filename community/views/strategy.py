"""Strategy (hosts only): the brand's initiatives on the push-to-pull spectrum, their
worksheet and CSV, and the community's retention and growth."""
import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import pages, permissions
from community.host.strategy import charts, links, retention
from community.host.strategy import services as services
from community.host.strategy.forms import InitiativeForm, LinkOptions, WorksheetFormSet
from community.host.strategy.initiatives import measure
from community.models import Initiative
from community.models.strategy import STEP_SHORT, Step
from community.pages.invalidation import HEALTH
from community.selectors.feeds import page_number
from community.selectors.paging import page_slice

PAGE_SIZE = 25
DELETED_SHOWN = 10
CSV_MAX = 1000


def _require_host(request, what=None):
    permissions.require(permissions.can_plan_initiatives(request.user),
                        gettext("%(what)s for the host team.")
                        % {"what": what or gettext("Strategy tools are")})


def _live():
    return (Initiative.objects.filter(deleted_at__isnull=True)
            .select_related("thread", "moment", "product"))


def _initiative_or_404(pk, *, deleted=False) -> Initiative:
    return get_object_or_404(Initiative.objects.select_related("thread", "moment", "product"),
                             pk=pk, deleted_at__isnull=not deleted)


def _linked(landings) -> None:
    """Each landing's links as (what, name, address) for the table (one query per
    registered link kind, only when an initiative names one)."""
    named = links.named() if any(landing.initiative.link_kind for landing in landings) else {}
    for landing in landings:
        i = landing.initiative
        found = []
        if i.thread_id and i.thread is not None:
            found.append(("Thread", i.thread.title, i.thread.get_absolute_url()))
        if i.moment_id and i.moment is not None:
            found.append(("Moment", i.moment.title, i.moment.get_absolute_url()))
        if i.product_id and i.product is not None:
            found.append(("Product", i.product.name, _product_url(i.product)))
        if i.link_kind and (i.link_kind, i.link_id) in named:
            found.append(named[(i.link_kind, i.link_id)])
        landing.links = found


def _product_url(product) -> str:
    """A product's page, on a site that serves product pages (the catalogue's); its name
    alone where none is served."""
    try:
        return product.get_absolute_url()
    except NoReverseMatch:
        return ""


@login_required
@require_GET
def strategy(request):
    """Placed against measured, per initiative. Template ``community/host_strategy.html``:
    the chart, then the same figures as a table (its text equivalent). A fixed number of
    queries whatever the number of initiatives."""
    _require_host(request)
    page = page_slice(_live(), page=page_number(request.GET.get("page")), size=PAGE_SIZE)
    # Where they landed is counted from the posts and invitations in their days: kept for
    # the day under ``health`` (every event bumps it, an initiative's own save included).
    items = page.items
    landings = pages.remember(
        ("initiative-landings", timezone.now().date(), tuple(i.pk for i in items)),
        lambda: measure(items), tags=(HEALTH,))
    _linked(landings)
    deleted = list(Initiative.objects.filter(deleted_at__isnull=False)
                   .order_by("-deleted_at", "-pk")[:DELETED_SHOWN])
    undo = request.GET.get("deleted", "")
    undo = next((i for i in deleted if undo.isdigit() and i.pk == int(undo)), None)
    return render(request, "community/host_strategy.html", {
        "page": page, "landings": landings, "chart": charts.spectrum(landings),
        "steps": Step.choices, "deleted": deleted, "undo": undo,
    })


def _form_page(request, form, initiative=None):
    return render(request, "community/initiative_form.html", {
        "form": form, "initiative": initiative, "steps": Step.choices,
    }, status=400 if form.is_bound and form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def initiative_create(request):
    """Record an initiative. Template ``community/initiative_form.html``."""
    _require_host(request)
    form = InitiativeForm(request.POST or None, options=LinkOptions())
    if request.method == "POST" and form.is_valid():
        try:
            made = services.initiative_create(host=request.user, **form.fields_chosen())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, (gettext("“%(name)s” is on the spectrum.")
                                       % {"name": made.name}))
            return redirect("host_strategy")
    return _form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def initiative_edit(request, pk):
    """Change an initiative. Template ``community/initiative_form.html``."""
    _require_host(request)
    initiative = _initiative_or_404(pk)
    form = InitiativeForm(request.POST or None, instance=initiative,
                          options=LinkOptions([initiative]))
    if request.method == "POST" and form.is_valid():
        values = form.fields_chosen()
        initiative.refresh_from_db()  # the form's checks wrote to it; the service decides
        try:
            changed = services.initiative_edit(host=request.user, initiative=initiative,
                                               **values)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, (gettext("“%(name)s” is saved.") % {"name": initiative.name})
                             if changed
                             else gettext("Nothing changed."))
            return redirect("host_strategy")
    return _form_page(request, form, initiative)


@login_required
@require_http_methods(["GET", "POST"])
def initiative_delete(request, pk):
    """Confirm, then delete (with an undo). Template ``community/initiative_delete.html``."""
    _require_host(request)
    initiative = _initiative_or_404(pk)
    if request.method == "POST":
        services.initiative_delete(host=request.user, initiative=initiative)
        return redirect(f"{reverse('host_strategy')}?{urlencode({'deleted': initiative.pk})}")
    return render(request, "community/initiative_delete.html", {"initiative": initiative})


@login_required
@require_POST
def initiative_restore(request, pk):
    _require_host(request)
    initiative = _initiative_or_404(pk, deleted=True)
    services.initiative_restore(host=request.user, initiative=initiative)
    messages.success(request, (gettext("“%(name)s” is back.") % {"name": initiative.name}))
    return redirect("host_strategy")


@login_required
@require_http_methods(["GET", "POST"])
def worksheet(request):
    """Several initiatives at once, as a table a team fills in together (the newest
    :data:`PAGE_SIZE` and three blank rows). Template ``community/strategy_worksheet.html``.
    Saving is all or none: a row with an error keeps every row's text."""
    _require_host(request)
    queryset = _live().order_by("-starts_on", "-pk")
    ids = list(queryset.values_list("pk", flat=True)[:PAGE_SIZE])
    shown = queryset.filter(pk__in=ids)
    gone, rows = False, None
    if request.method == "POST":
        # The rows posted with an id are the ones saved; one deleted meanwhile (or not an
        # initiative at all) stops the save, and the page says so.
        posted = _posted_ids(request.POST)
        shown = _live().filter(Q(pk__in=ids) | Q(pk__in=posted))
        rows = list(shown)
        gone = bool(set(posted) - {i.pk for i in rows})
    options = LinkOptions(rows if rows is not None else list(shown))
    formset = WorksheetFormSet(request.POST or None, queryset=shown,
                               form_kwargs={"options": options})
    if gone:
        messages.error(request, gettext("A row of this worksheet was deleted meanwhile: nothing "
                                        "was "
                                "saved. Open the worksheet again to see the rows as they are."))
    elif request.method == "POST" and formset.is_valid():
        # The forms' checks wrote to their instances: the service compares with the rows
        # as stored (one query), to record only what changed.
        stored = _live().in_bulk([form.instance.pk for form in formset.forms
                                  if form.instance.pk])
        rows = [(stored[form.instance.pk] if form.instance.pk else None, form.fields_chosen())
                for form in formset.forms if form.has_changed() or form.instance.pk]
        try:
            done = services.worksheet_save(host=request.user, rows=rows)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, (gettext("Saved: %(created)s new, %(edited)s changed.")
                                       % {"created": done["created"], "edited": done["edited"]}))
            return redirect("strategy_worksheet")
    return render(request, "community/strategy_worksheet.html", {
        "formset": formset, "steps": Step.choices,
    }, status=400 if request.method == "POST" else 200)


def _posted_ids(data) -> list[int]:
    ids = []
    for key, value in data.items():
        if key.startswith("form-") and key.endswith("-id") and value.isdigit():
            ids.append(int(value))
    return ids[:WorksheetFormSet.max_num]


def _csv_safe(text: str) -> str:
    """Stop a spreadsheet from running a name that starts like a formula."""
    text = str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_GET
def worksheet_csv(request):
    """Every initiative (newest first, up to :data:`CSV_MAX`) with where it was placed and
    where it landed, and the figures that put it there."""
    _require_host(request, gettext("The initiatives are"))
    landings = measure(list(_live().order_by("-starts_on", "-pk")[:CSV_MAX]))
    _linked(landings)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="initiatives.csv"'
    writer = csv.writer(response)
    writer.writerow(["name", "owner", "first_day", "last_day", "channel", "placed",
                     "placed_step", "measured", "measured_step", "pull_share",
                     "replies_to_brand", "replies_between_members", "member_created",
                     "peer_answers", "invited_joined", "brand_posts", "links"])
    for landing in landings:
        i = landing.initiative
        writer.writerow([
            _csv_safe(i.name), _csv_safe(i.owner), i.starts_on.isoformat(),
            i.ends_on.isoformat(), i.channel, i.placed, STEP_SHORT[i.placed],
            landing.measured or "", STEP_SHORT.get(landing.measured, ""),
            "" if landing.pull_share is None else round(landing.pull_share, 4),
            landing.to_brand, landing.between, landing.created, landing.peer_answers,
            landing.joined, landing.brand,
            _csv_safe("; ".join(f"{what}: {name}" for what, name, _ in landing.links)),
        ])
    return response


@login_required
@require_GET
def growth(request):
    """New members, their first week, invitations, returning members and cohorts.
    Template ``community/host_growth.html`` (each chart with its table)."""
    _require_host(request, gettext("The growth figures are"))
    figures = _growth()
    cohorts = [{**row, "cells": [None if cell is None else {**cell, "heat": charts.heat(
        cell["share"])} for cell in row["cells"]]} for row in figures.cohorts]
    return render(request, "community/host_growth.html", {
        "figures": figures, "cohorts": cohorts, "months_after": range(retention.MONTHS),
        "joined_chart": charts.columns(figures.weeks, [("joined", "New members")],
                                       label="week"),
        "soon_chart": charts.shares(figures.weeks, "posted_soon_share", label="week"),
        "invites_chart": charts.columns(figures.weeks, [("invites_sent", "Invitations"),
                                                        ("invites_joined", "Joined")],
                                        label="week"),
        "returning_chart": charts.shares(figures.months, "returning_share", label="month"),
        "weeks": retention.WEEKS, "months": retention.MONTHS,
    })


def _growth():
    """The growth figures of today, kept like the dashboard's under ``health`` (every event
    bumps it): members joining, posting and inviting are all events."""
    today = timezone.now().date()
    return pages.remember(("growth", today), lambda: retention.growth(today=today),
                          tags=(HEALTH,))


@login_required
@require_GET
def growth_csv(request):
    _require_host(request, gettext("The growth figures are"))
    figures = _growth()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="community-growth-{figures.today.isoformat()}.csv"')
    writer = csv.writer(response)
    writer.writerow(["section", "period", "name", "value"])
    for section, period, name, value in retention.csv_rows(figures):
        writer.writerow([section, period, name, "" if value is None else value])
    return response
