"""Moderation and hosting: flags, the review queue, suspensions, thread tools, welcome,
introduce and the moderation log. Everything but flagging is for staff hosts."""
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import permissions
from community.composer import preview_into
from community.content.limits import refusal_status
from community.engine import routing
from community.forms import (
    CloseForm,
    FlagForm,
    MergeForm,
    MoveForm,
    ReasonForm,
    StaffEditForm,
    SuspendForm,
    TagsForm,
)
from community.models import ModerationLog, Post, Thread, User
from community.selectors.feeds import page_number
from community.services import moderation

QUEUE_PAGE = 20



def _host(request):
    permissions.require(permissions.can_moderate(request.user),
                        gettext("Moderation is for the host team."))


def _post(pk) -> Post:
    return get_object_or_404(Post.objects.select_related("thread", "author"), pk=pk)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def post_flag(request, pk):
    """Tell the hosts about a post. Template ``community/flag.html``."""
    post = _post(pk)
    if post.is_deleted or not permissions.can_view_post(request.user, post) \
            or not permissions.can_view_thread(request.user, post.thread):
        raise Http404(gettext("No such post."))
    permissions.require(permissions.can_flag(request.user, post),
                        permissions.why_not_flag(request.user, post))
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.flag_create(flagger=request.user, post=post, reason=form.cleaned_data[
                "reason"], note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.info(request, _error_text(error))
        else:
            messages.success(request, gettext("Thank you. A host will review the post; we'll tell "
                                              "you "
                                      "what they decide."))
        return redirect(post.get_absolute_url())
    return render(request, "community/flag.html", {"post": post, "form": form},
                  status=400 if form.is_bound else 200)


@login_required
@require_GET
def review_queue(request):
    """Held, hidden and flagged posts, oldest first. Template ``community/review_queue.html``."""
    _host(request)
    page = Paginator(moderation.review_queue(), QUEUE_PAGE).get_page(
        page_number(request.GET.get("page")))
    return render(request, "community/review_queue.html", {"page": page})


ACTIONS = {"approve", "hide", "delete"}


@login_required
@require_POST
def review_action(request, pk, action):
    """Approve, hide or delete a post from the queue; htmx swaps the item for the outcome."""
    _host(request)
    if action not in ACTIONS:
        raise Http404(gettext("No such action."))
    post = _post(pk)
    reason = ReasonForm(request.POST).data.get("reason", "")[:300]
    try:
        if action == "approve":
            moderation.review_approve(actor=request.user, post=post)
            outcome = gettext("Approved: the post is visible to everyone.")
        elif action == "hide":
            moderation.review_hide(actor=request.user, post=post, reason=reason)
            outcome = gettext("Hidden: only its author and the hosts see it.")
        else:
            moderation.review_delete(actor=request.user, post=post, reason=reason)
            outcome = gettext("Deleted.")
    except ValidationError as error:
        outcome = _error_text(error)
    if request.htmx:
        return render(request, "community/_review_done.html", {"post": post,
                                                                "outcome": outcome})
    messages.success(request, outcome)
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith(
        "/host/") else reverse("review_queue"))


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request, pk):
    """A host edits a post; the post shows "edited by staff". Template ``staff_edit.html``."""
    _host(request)
    post = _post(pk)
    if post.is_deleted:
        raise Http404(gettext("This post was deleted."))
    form = StaffEditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and preview_into(request, form):  # no-JavaScript preview
        return render(request, "community/staff_edit.html", {"post": post, "form": form})
    if request.method == "POST" and form.is_valid():
        try:
            moderation.review_edit(actor=request.user, post=post,
                                   body=form.cleaned_data["body"],
                                   reason=form.cleaned_data["reason"])
        except ValidationError as error:  # a limit: the host's text stays in the box
            form.add_error(None, error)
            return render(request, "community/staff_edit.html", {"post": post, "form": form},
                          status=refusal_status(error))
        messages.success(request, gettext("The post is edited; it shows “edited by staff”."))
        return redirect(post.get_absolute_url())
    return render(request, "community/staff_edit.html", {"post": post, "form": form},
                  status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def member_suspend(request, username):
    """Suspend a member with a reason and an end date. Template ``community/suspend.html``."""
    _host(request)
    member = get_object_or_404(User, username=username, is_active=True)
    permissions.require(not permissions.is_staff_host(member),
                        gettext("Hosts and admins cannot be suspended here."))
    form = SuspendForm(request.POST or None, initial={"reason": request.GET.get("reason", "")})
    if request.method == "POST" and form.is_valid():
        ends_at = timezone.now() + timedelta(days=form.cleaned_data["days"])
        moderation.suspend(actor=request.user, user=member, reason=form.cleaned_data["reason"],
                           ends_at=ends_at)
        messages.success(request, gettext("%(name)s is suspended until %(day)s.") % {
            "name": member.name, "day": date_format(ends_at, "d F Y")})
        return redirect(reverse("review_queue"))
    return render(request, "community/suspend.html", {
        "member": member, "form": form, "current": member.active_suspension,
    }, status=400 if form.is_bound else 200)


@login_required
@require_POST
def member_unsuspend(request, username):
    _host(request)
    member = get_object_or_404(User, username=username)
    if moderation.unsuspend(actor=request.user, user=member):
        messages.success(request, (gettext("%(name)s can take part again.")
                                   % {"name": member.name}))
    else:
        messages.info(request, (gettext("%(name)s was not suspended.") % {"name": member.name}))
    return redirect(member.get_absolute_url())


@login_required
@require_POST
def member_sessions_end(request, username):
    """Sign a member out everywhere (a stolen account, a shared computer)."""
    _host(request)
    member = get_object_or_404(User, username=username)
    ended = moderation.sessions_end(actor=request.user, member=member, request=request)
    messages.success(request, (ngettext("Ended %(ended)s session of %(name)s: they must sign in "
                                        "again.",
                                        "Ended %(ended)s sessions of %(name)s: they must sign in "
                                        "again.",
                                        ended) % {"ended": ended, "name": member.name}))
    return redirect(member.get_absolute_url())


# Thread tools ------------------------------------------------------------------------

def _thread(pk) -> Thread:
    return get_object_or_404(Thread.objects.select_related("space", "author"), pk=pk,
                             is_deleted=False)


@login_required
@require_GET
def thread_tools(request, pk):
    """Pin, lock, feature, close, move, merge, and introduce a member who knows the topic."""
    _host(request)
    thread = _thread(pk)
    return _tools_page(request, thread)


def _tools_page(request, thread, *, close=None, move=None, merge=None, tags=None,
                status=200):
    suggestions = []
    if thread.is_question:
        suggestions = routing.candidates(thread, limit=5)
    return render(request, "community/thread_tools.html", {
        "thread": thread,
        "close_form": close or CloseForm(),
        "move_form": move or MoveForm(initial={"space": thread.space}),
        "merge_form": merge or MergeForm(),
        "tags_form": tags or TagsForm(initial={"tags": ", ".join(
            thread.tags.order_by("name").values_list("name", flat=True))}),
        "suggestions": suggestions,
    }, status=status)


TOGGLES = {
    "pin": ("is_pinned", True, gettext_lazy("Pinned to the top of its space.")),
    "unpin": ("is_pinned", False, "Unpinned."),
    "lock": ("is_locked", True, gettext_lazy("Locked: no new replies.")),
    "unlock": ("is_locked", False, "Unlocked."),
    "feature": ("is_featured", True, gettext_lazy("Featured on the home page.")),
    "unfeature": ("is_featured", False, gettext_lazy("No longer featured.")),
}


@login_required
@require_POST
def thread_tool(request, pk, tool):
    _host(request)
    thread = _thread(pk)
    if tool in TOGGLES:
        field, value, done = TOGGLES[tool]
        moderation.thread_flag_set(actor=request.user, thread=thread, field=field, value=value)
    elif tool == "reopen":
        moderation.thread_reopen(actor=request.user, thread=thread)
        done = gettext("Reopened: members can reply again.")
    elif tool == "close":
        form = CloseForm(request.POST)
        if not form.is_valid():
            return _tools_page(request, thread, close=form, status=400)
        moderation.thread_close(actor=request.user, thread=thread,
                                reason=form.cleaned_data["reason"])
        done = gettext("Closed. Readers see why.")
    elif tool == "move":
        form = MoveForm(request.POST)
        if not form.is_valid():
            return _tools_page(request, thread, move=form, status=400)
        moderation.thread_move(actor=request.user, thread=thread, space=form.cleaned_data["space"])
        done = (gettext("Moved to %(name)s.") % {"name": form.cleaned_data['space'].name})
    elif tool == "tags":
        form = TagsForm(request.POST)
        if not form.is_valid():
            return _tools_page(request, thread, tags=form, status=400)
        moderation.thread_tags_set(actor=request.user, thread=thread,
                                   names=form.cleaned_data["tags"])
        done = gettext("Tags saved.")
    elif tool == "merge":
        form = MergeForm(request.POST)
        if form.is_valid():
            try:
                target = moderation.thread_merge(actor=request.user, source=thread,
                                                 target=form.cleaned_data["target"])
            except ValidationError as error:
                form.add_error("target", error)
            else:
                messages.success(request, (gettext("Merged into “%(title)s”.")
                                           % {"title": target.title}))
                return redirect(target)
        return _tools_page(request, thread, merge=form, status=400)
    elif tool == "introduce":
        raw = request.POST.get("member", "")
        member = (User.objects.filter(pk=int(raw)).first()
                  if raw.isdigit() and len(raw) < 19 else None)
        if member is None:
            raise Http404(gettext("No such member."))
        try:
            moderation.introduce(actor=request.user, thread=thread, member=member)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect(reverse("thread_tools", args=[thread.pk]))
        done = (gettext("%(name)s is invited to answer.") % {"name": member.name})
    else:
        raise Http404(gettext("No such tool."))
    messages.success(request, done)
    return redirect(thread)


# Hosting ---------------------------------------------------------------------------------

@login_required
@require_GET
def welcome_queue(request):
    """New members who have not posted yet. Template ``community/welcome_queue.html``."""
    _host(request)
    page = Paginator(moderation.welcome_queue(), QUEUE_PAGE).get_page(
        page_number(request.GET.get("page")))
    return render(request, "community/welcome_queue.html", {"page": page})


@login_required
@require_POST
def welcome_member(request, pk):
    _host(request)
    member = get_object_or_404(User, pk=pk, is_active=True)
    sent = moderation.welcome(actor=request.user, member=member)
    text = ((gettext("Welcome sent to %(name)s.") % {"name": member.name}) if sent
            else (gettext("%(name)s was already welcomed.") % {"name": member.name}))
    if request.htmx:
        return render(request, "community/_welcome_done.html", {"member": member, "text": text})
    messages.success(request, text)
    return redirect("welcome_queue")


@login_required
@require_GET
def moderation_log(request):
    """Every moderation action, newest first, read-only. Template ``moderation_log.html``."""
    _host(request)
    page = Paginator(ModerationLog.objects.all(), 50).get_page(
        page_number(request.GET.get("page")))
    return render(request, "community/moderation_log.html", {"page": page})
