"""Listening (hosts only): the advocates and detractors map, the posts behind a member's
dot, the "needs a human touch" queue and the weekly "what members care about" digest."""
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from community import permissions
from community.host.listening import selectors, sentiment, services
from community.models import PostSignal, User
from community.selectors.feeds import page_number

DONE = {"answered": gettext_lazy("Marked answered"), "dismissed": gettext_lazy("Set aside"),
        "reopen": gettext_lazy("Back in the queue")}


def _require_host(request, what: str) -> None:
    permissions.require(permissions.can_listen(request.user),
                                                               (gettext("%(what)s for the host "
                                                                       "team.") % {"what": what}))


@login_required
@require_GET
def listening_map(request):
    """Members who spoke of the brand: help given against how they speak of it, as a chart
    and as a table. Template ``community/listening_map.html``."""
    _require_host(request, gettext("Listening is"))
    return render(request, "community/listening_map.html", {
        "map": selectors.advocates_map(), "counts": selectors.touch_counts(),
        "bands": sentiment.BANDS, "brand_negative": sentiment.BRAND_NEGATIVE,
    })


@login_required
@require_GET
def listening_member(request, username):
    """The threads behind a member's dot: their posts about the brand, newest first.
    Template ``community/listening_member.html``."""
    _require_host(request, gettext("Listening is"))
    member = get_object_or_404(User, username=username)
    page = selectors.member_brand_posts(member=member, page=page_number(request.GET.get("page")))
    return render(request, "community/listening_member.html", {"member": member, "page": page})


@login_required
@require_GET
def listening_touch(request):
    """Posts that need a host's own answer (not the flag queue: nothing here is hidden).
    ``?show=answered`` or ``dismissed``: the ones decided, to undo. ``?done=<post>`` says
    what was just decided with an Undo button (the page without JavaScript). Template
    ``community/listening_touch.html``."""
    _require_host(request, gettext("The human-touch queue is"))
    show = request.GET.get("show", "open")
    if show not in selectors.SHOWS:
        show = "open"
    page = selectors.touch_queue(show=show, page=page_number(request.GET.get("page")))
    done = None
    done_pk = request.GET.get("done", "")
    if done_pk.isdigit():
        done = (PostSignal.objects.filter(post_id=int(done_pk), needs_touch=True)
                .select_related("thread").first())
    return render(request, "community/listening_touch.html", {
        "page": page, "show": show, "counts": selectors.touch_counts(), "done": done,
        "query": f"show={show}" if show != "open" else "",
    })


@login_required
@require_POST
def touch_decide(request, pk, decision):
    """Answered, Dismiss, or Undo (``reopen``); htmx swaps the item for the outcome and its
    Undo button, otherwise back to the queue, which says the same."""
    _require_host(request, gettext("The human-touch queue is"))
    if decision not in services.DECISIONS:
        raise Http404(gettext("No such decision."))
    try:
        signal = services.touch_decide(actor=request.user, post_id=pk, decision=decision)
    except PostSignal.DoesNotExist:
        raise Http404(gettext("This post is not in the human-touch queue.")) from None
    if request.htmx:
        signal = PostSignal.objects.select_related("post", "thread", "thread__space",
                                                   "author").get(pk=signal.pk)
        signal.why = selectors.why(signal)
        template = ("community/_touch_item.html" if decision == "reopen"
                    else "community/_touch_done.html")
        return render(request, template, {"signal": signal, "outcome": DONE[decision]})
    messages.success(request, gettext("%(outcome)s: “%(title)s”.") % {
        "outcome": DONE[decision], "title": signal.thread.title})
    show = request.POST.get("show", "open")
    url = reverse("listening_touch")
    if decision == "reopen":
        return redirect(url + (f"?show={show}" if show in selectors.SHOWS else ""))
    return redirect(f"{url}?done={signal.post_id}")


def _week(value: str) -> datetime.date | None:
    """The Monday of the week ``value`` names; ``None`` for no date, or one so far from
    now that the weeks around it cannot be written (year 1, year 9999)."""
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return None
    if not 1900 <= day.year <= 9000:
        return None
    return services.week_of(day)


@login_required
@require_GET
def listening_digest(request):
    """The weekly "what members care about" digest for a week (``?week=YYYY-MM-DD``, any
    day of it; the last full week by default). Template ``community/listening_digest.html``."""
    _require_host(request, gettext("The listening digest is"))
    error = ""
    week = selectors.last_full_week()
    if request.GET.get("week"):
        chosen = _week(request.GET["week"][:10])
        if chosen is None:
            error = gettext("Give the week as a date, for example 2026-11-23.")
        else:
            week = chosen
    found = selectors.digest(week)
    latest = selectors.latest_week() if found["empty"] else None
    day = datetime.timedelta(days=7)
    return render(request, "community/listening_digest.html", {
        "digest": found, "error": error, "latest": latest if latest != week else None,
        "latest_iso": latest.isoformat() if latest else "",
        "previous": week - day, "next": week + day if week + day <= selectors.last_full_week()
        else None,
    }, status=400 if error else 200)
