"""Moments: the list, a moment's page with its gallery, answering, and the host's tools."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import moment_ties, pages, permissions
from community.content.limits import refusal_status
from community.forms import MomentEntryForm, MomentForm
from community.models import Moment, MomentEntry
from community.selectors import moments as selectors
from community.selectors.feeds import page_number
from community.services import moments as services


def _moment_or_404(request, pk) -> Moment:
    moment = get_object_or_404(
        Moment.objects.select_related("thread", "space", "cover", "created_by"), pk=pk)
    if not permissions.can_view_moment(request.user, moment):
        raise Http404(gettext("No such moment."))
    return moment


@require_GET
def moment_list(request):
    """Open moments, then upcoming, then closed. Template ``community/moment_list.html``."""
    page = selectors.moment_list(page=page_number(request.GET.get("page")))
    return render(request, "community/moment_list.html", {"page": page, "now": timezone.now()})


def _detail_context(request, moment, form=None) -> dict:
    sort, number = request.GET.get("sort", ""), page_number(request.GET.get("page"))
    may_enter = permissions.can_enter_moment(request.user, moment)
    may_host = permissions.can_host_moment(request.user, moment)
    # The featured entries and the gallery are alike for every reader but a host (whose
    # tiles carry the Feature buttons): kept as one fragment under the moment's thread,
    # which every entry, vote, reply, hide and feature bumps; read only on a miss.
    gallery = SimpleLazyObject(lambda: selectors.gallery(moment, sort=sort, page=number))
    return {
        "moment": moment, "gallery": gallery, "page": gallery, "state": moment.state(),
        "may_enter": may_enter,
        "form": form if form is not None else (MomentEntryForm(moment=moment)
                                               if may_enter else None),
        "may_host": may_host,
        "gallery_key": _gallery_key(moment, "gallery", sort, number, may_host),
        "featured_key": _gallery_key(moment, "featured", "", 1, may_host),
        # What it is part of: kept under its thread, which a tie, an untie and a tied
        # project's new name bump (their events name it).
        "ties": pages.remember(("moment-ties", moment.pk), lambda: moment_ties.ties(moment),
                               tags=(pages.thread_tag(moment.thread_id),)),
    }


def _gallery_key(moment, part, sort, number, may_host) -> str:
    if may_host:
        return ""
    return pages.fragment_key(f"moment-{part}", moment.pk, sort, number,
                              tags=(pages.thread_tag(moment.thread_id),))


class _NoMoment(LookupError):
    pass


def _moment_thread(pk) -> str:
    thread_id = Moment.objects.filter(pk=pk).values_list("thread_id", flat=True).first()
    if thread_id is None:
        raise _NoMoment(pk)  # nothing kept: the moment may yet be made
    return str(thread_id)


def _moment_times(pk):
    return Moment.objects.filter(pk=pk).values_list("opens_at", "closes_at").first()


def _moment_tags(request, pk, **kwargs):
    """A moment's page shows its thread (entries are posts in it: new ones, votes, replies,
    hides and features bump it) and whether it is upcoming, open or closed, which changes
    with the clock rather than by an event: the state is a fixed part of the page's name.
    A moment keeps its thread for good, so which thread is kept with no version; its times
    change only by an edit, which bumps the thread: a hit costs no query."""
    try:
        thread_id = pages.kept(f"pc:moment:{pk}:thread", lambda: _moment_thread(pk))
    except _NoMoment:
        return []
    if isinstance(thread_id, bytes):
        thread_id = thread_id.decode()
    tag = pages.thread_tag(thread_id)
    times = pages.remember(("moment-times", pk), lambda: _moment_times(pk), tags=(tag,))
    if times is None:
        return [tag]
    state = Moment(opens_at=times[0], closes_at=times[1]).state()
    return [tag, pages.Fixed(f"moment:{pk}:{state}")]


@require_GET
@pages.anonymous_page(_moment_tags)
def moment_detail(request, pk):
    """The brief, the featured entries, the gallery and the entry form. Template
    ``community/moment_detail.html`` (``community/_moment_gallery.html`` on htmx)."""
    moment = _moment_or_404(request, pk)
    context = _detail_context(request, moment)
    if request.htmx:
        return render(request, "community/_moment_gallery.html", context)
    return render(request, "community/moment_detail.html", context)


@login_required
@require_POST
def moment_enter(request, pk):
    """Send an entry; a refusal shows the moment's page again with what was typed."""
    moment = _moment_or_404(request, pk)
    permissions.require(permissions.can_enter_moment(request.user, moment),
                        lambda: (gettext("This moment is not open for entries.")
                                 if permissions.can_take_part(request.user)
                                 else permissions.why_not(request.user)))
    form = MomentEntryForm(request.POST, request.FILES, moment=moment)
    status = 400
    if form.is_valid():
        try:
            entry = services.entry_create(
                author=request.user, moment=moment, text=form.cleaned_data["text"],
                photo=form.cleaned_data.get("photo"),
                alt_text=form.cleaned_data.get("photo_alt", ""))
        except ValidationError as error:
            form.add_error(None, error)
            status = refusal_status(error)
        else:
            if entry.post.status == entry.post.Status.PUBLISHED:
                messages.success(request, gettext("Thank you: your entry is in the gallery."))
            else:
                messages.info(request, gettext("Thank you: your entry waits for a host to approve "
                                               "it "
                                       "and then shows in the gallery."))
            return redirect(f"{moment.get_absolute_url()}#gallery")
    return render(request, "community/moment_detail.html",
                  _detail_context(request, moment, form=form), status=status)


def _times(form) -> dict:
    return {k: form.cleaned_data[k] for k in ("title", "brief", "opens_at", "closes_at",
                                             "answer", "tie")}


@login_required
@require_http_methods(["GET", "POST"])
def moment_create(request):
    """Template ``community/moment_form.html``."""
    permissions.require(permissions.can_host_moment(request.user), services.HOST_REFUSAL)
    now = timezone.now().replace(second=0, microsecond=0)
    form = MomentForm(request.POST or None, request.FILES or None,
                      initial={"opens_at": now, "closes_at": now + timezone.timedelta(days=14)})
    if request.method == "POST" and form.is_valid():
        try:
            moment = services.moment_create(
                host=request.user, space=form.cleaned_data["space"],
                cover_upload=form.cleaned_data.get("cover"),
                cover_alt=form.cleaned_data.get("cover_alt", ""), **_times(form))
        except ValidationError as error:
            form.add_error(None, error)
            return render(request, "community/moment_form.html", {"form": form},
                          status=refusal_status(error))
        messages.success(request, gettext("Your moment is started."))
        return redirect(moment)
    return render(request, "community/moment_form.html", {"form": form},
                  status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def moment_edit(request, pk):
    """Template ``community/moment_form.html``."""
    moment = _moment_or_404(request, pk)
    permissions.require(permissions.can_host_moment(request.user, moment),
                        services.HOST_REFUSAL)
    tied = moment_ties.ties(moment)
    initial = {"title": moment.title, "brief": moment.brief, "answer": moment.answer,
               "opens_at": moment.opens_at, "closes_at": moment.closes_at,
               "tie": tied[0].value if tied else moment_ties.NOT_TIED}
    form = MomentForm(request.POST or None, initial=initial, editing=True, moment=moment)
    context = {"form": form, "moment": moment}
    if request.method == "POST" and form.is_valid():
        try:
            services.moment_edit(host=request.user, moment=moment, **_times(form))
        except ValidationError as error:
            form.add_error(None, error)
            return render(request, "community/moment_form.html", context,
                          status=refusal_status(error))
        messages.success(request, gettext("The moment is saved."))
        return redirect(moment)
    return render(request, "community/moment_form.html", context,
                  status=400 if form.is_bound else 200)


@login_required
@require_POST
def moment_close(request, pk):
    moment = _moment_or_404(request, pk)
    closed = services.moment_close(host=request.user, moment=moment)
    messages.success(request, gettext("The moment is closed: it takes no more entries.")
                     if closed else gettext("The moment was closed already."))
    return redirect(moment)


@login_required
@require_POST
def entry_feature(request, pk):
    """Feature an entry (on the moment's page and the home page) or stop."""
    entry = get_object_or_404(MomentEntry.objects.select_related(
        "moment", "moment__thread", "post"), pk=pk)
    if not permissions.can_view_moment(request.user, entry.moment):
        raise Http404(gettext("No such entry."))
    featured = request.POST.get("featured") != "0"
    try:
        services.entry_feature_set(host=request.user, entry=entry, featured=featured)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Featured: it shows on the home page and the moment's "
                                          "page, "
                                  "with credit to its author.") if featured
                         else gettext("No longer featured."))
    return redirect(f"{entry.moment.get_absolute_url()}#entry-{entry.pk}")


@login_required
@require_GET
def moment_reach(request):
    """Each moment's reach, for hosts. Template ``community/moment_reach.html``."""
    permissions.require(permissions.can_use_host_tools(request.user),
                        gettext("Only the host team can see this page."))
    return render(request, "community/moment_reach.html", {"rows": selectors.reach()})
