"""Pages of the shared purpose and its projects.

Writes follow one shape: a form validates (invalid: the page again with errors and what was
typed, status 400), one service writes; a rule it refuses comes back as a message on the
page it was asked from, a permission it refuses as 403 with the reason.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import permissions, submissions
from community.composer import form_status, preview_into
from community.models import User
from community.selectors.feeds import page_number
from community.services import drafts as community_drafts

from . import drafts, selectors, services
from .forms import (
    ContributionForm,
    DiscussionForm,
    NeedForm,
    PledgeForm,
    ProjectForm,
    PurposeForm,
    RoleForm,
    StatusForm,
    UpdateForm,
    VotingForm,
)
from .models import Contribution, Need, Project, PurposeRevision


def _refused(error: ValidationError) -> str:
    return " ".join(error.messages)


def _project_or_404(request, slug) -> Project:
    try:
        project = selectors.project_get(slug)
    except Project.DoesNotExist:
        raise Http404(gettext("No such project.")) from None
    if not permissions.can_view_project(request.user, project):
        raise Http404(gettext("No such project."))
    return project


def _contribution_or_404(request, pk) -> Contribution:
    try:
        contribution = selectors.contribution_get(pk)
    except Contribution.DoesNotExist:
        raise Http404(gettext("No such contribution.")) from None
    if not permissions.can_view_project(request.user, contribution.project):
        raise Http404(gettext("No such contribution."))
    return contribution


# Purpose ------------------------------------------------------------------------------

@require_GET
def purpose(request):
    """The shared purpose and the projects that serve it. Template ``purpose/purpose.html``."""
    return render(request, "purpose/purpose.html", {
        "revision": selectors.purpose_current(),
        "projects": selectors.projects_page(viewer=request.user, page=1).items[:6],
    })


@login_required
@require_http_methods(["GET", "POST"])
def purpose_edit(request):
    permissions.require(permissions.can_edit_purpose(request.user),
                        services.ONLY_HOSTS_EDIT_PURPOSE)
    current = selectors.purpose_current()
    if request.method == "POST":
        form = PurposeForm(request.POST)
        if not preview_into(request, form) and form.is_valid():
            try:
                services.purpose_revise(editor=request.user, **form.cleaned_data)
            except ValidationError as error:  # the content check: the text stays
                form.add_error(None, error)
            else:
                messages.success(request, gettext("The purpose page is updated; the earlier "
                                                  "version "
                                          "is kept in its history."))
                return redirect("purpose:purpose")
    else:
        form = PurposeForm(initial={"statement": current.statement, "story": current.story}
                           if current else {})
    return render(request, "purpose/purpose_edit.html", {"form": form, "revision": current},
                  status=form_status(form))


@require_GET
def purpose_history(request):
    """Every saved version of the purpose page, newest first."""
    page = selectors.purpose_history(page=page_number(request.GET.get("page")))
    return render(request, "purpose/purpose_history.html", {
        "revisions": page.items, "page": page,
        "may_edit": permissions.can_edit_purpose(request.user),
    })


@login_required
@require_POST
def purpose_restore(request, pk):
    revision = get_object_or_404(PurposeRevision, pk=pk)
    services.purpose_restore(editor=request.user, revision=revision)
    messages.success(request, gettext("That version is the purpose page again."))
    return redirect("purpose:purpose")


# Projects -----------------------------------------------------------------------------

@require_GET
def projects(request):
    """The projects index: filter by status, sort by activity. ``purpose/projects.html``."""
    listing = selectors.projects_page(
        viewer=request.user, status=request.GET.get("status", ""),
        sort=request.GET.get("sort", ""), page=page_number(request.GET.get("page")))
    query = "&".join(f"{k}={v}" for k, v in (("status", listing.status),
                                             ("sort", listing.sort)) if v)
    statuses = [(value, label) for value, label in Project.Status.choices
                if value != Project.Status.PROPOSED or permissions.is_staff_host(request.user)]
    return render(request, "purpose/projects.html", {
        "listing": listing, "page": listing, "query_prefix": query, "statuses": statuses,
        "sorts": selectors.Sort.CHOICES,
    })


@login_required
@require_http_methods(["GET", "POST"])
def project_propose(request):
    permissions.require(permissions.can_propose_project(request.user),
                        permissions.why_not(request.user))
    if request.method == "POST":
        form = ProjectForm(request.POST, request.FILES)
        if not preview_into(request, form) and form.is_valid():
            data = form.cleaned_data
            done = submissions.once(request.user, form, lambda: services.project_propose(
                author=request.user, title=data["title"], goal=data["goal"],
                description=data["description"], cover=data.get("cover"),
                space=data.get("space")))
            if done.repeat:
                messages.info(request, gettext("That project was already proposed."))
                return redirect(done.url or "purpose:projects")
            if not done.error:  # refused by the content check: the text stays
                project = done.made
                messages.success(request, gettext("Your project is open: invite people to join.")
                                 if project.status == Project.Status.OPEN else
                                 gettext("Thanks! Your proposal waits for a host's approval; we'll "
                                 "tell you when it opens."))
                return redirect(project)
    else:
        form = ProjectForm()
    return render(request, "purpose/project_form.html", {"form": form, "project": None},
                  status=form_status(form))


@require_GET
def project_detail(request, slug):
    """A project: goal, people, needs, updates, discussions, contributions.
    Template ``purpose/project.html``."""
    project = _project_or_404(request, slug)
    return _render_project(request, project)


def _render_project(request, project, *, status=200, **forms):
    data = selectors.project_page(project=project, viewer=request.user)
    manage = permissions.can_manage_project(request.user, project)
    may_contribute = permissions.can_contribute(request.user, project)
    # The member's unsent texts for this project (one query): the update comes back in its
    # box, a contribution or a discussion is pointed to.
    places = {"update": drafts.update_place(project) if manage else "",
              "contribute": drafts.contribute_place(project) if may_contribute else "",
              "discuss": drafts.discuss_place(project)
              if permissions.can_take_part(request.user) else ""}
    kept = community_drafts.drafts_for(request.user, [p for p in places.values() if p])
    mine = {name: kept.get(place) for name, place in places.items() if place}
    if "update_form" not in forms and mine.get("update"):
        forms["update_form"] = UpdateForm(initial={"body": mine["update"].body})
    context = {
        "project": project, "data": data, "manage": manage,
        "approve": permissions.can_approve_project(request.user, project),
        "may_join": permissions.can_join_project(request.user, project),
        "may_pledge": permissions.can_pledge(request.user, project),
        "may_contribute": may_contribute,
        "drafts": mine,
        "may_take_part": permissions.can_take_part(request.user),
        "next_statuses": [(s, Project.Status(s).label)
                          for s in Project.TRANSITIONS.get(project.status, ())],
        "need_form": forms.get("need_form") or NeedForm(),
        "update_form": forms.get("update_form") or UpdateForm(),
        "voting_form": forms.get("voting_form") or VotingForm(
            initial={"closes_at": project.voting_closes_at}),
        "voting_open": project.voting_open(),
        "voting_closed": project.voting_closed(),
    }
    return render(request, "purpose/project.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, slug):
    project = _project_or_404(request, slug)
    permissions.require(permissions.can_manage_project(request.user, project),
                        gettext("Only the project's leads and the hosts edit it."))
    if request.method == "POST":
        form = ProjectForm(request.POST, request.FILES)
        if not preview_into(request, form) and form.is_valid():
            data = form.cleaned_data
            try:
                services.project_edit(actor=request.user, project=project,
                                      title=data["title"], goal=data["goal"],
                                      description=data["description"], cover=data.get("cover"),
                                      space=data.get("space"),
                                      remove_cover=data.get("cover") is False)
            except ValidationError as error:  # the content check: the text stays
                form.add_error(None, error)
            else:
                messages.success(request, gettext("Project saved."))
                return redirect(project)
    else:
        form = ProjectForm(initial={"title": project.title, "goal": project.goal,
                                    "description": project.description,
                                    "space": project.space, "cover": project.cover})
    return render(request, "purpose/project_form.html", {"form": form, "project": project},
                  status=form_status(form))


@login_required
@require_POST
def project_status(request, slug):
    project = _project_or_404(request, slug)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose a status the project can move to."))
        return redirect(project)
    try:
        services.project_status_set(actor=request.user, project=project,
                                    to_status=form.cleaned_data["status"],
                                    note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, _refused(error))
        return redirect(project)
    project.refresh_from_db(fields=["status"])
    messages.success(request, (gettext("The project is %(status)s.")
                               % {"status": project.get_status_display().lower()}))
    return redirect(project)


@login_required
@require_POST
def project_join(request, slug):
    project = _project_or_404(request, slug)
    if services.project_join(user=request.user, project=project):
        messages.success(request, gettext("You joined the project. Pledge what you can bring, or "
                                  "share an idea."))
    else:
        messages.info(request, gettext("You are already in this project."))
    return redirect(project)


@login_required
@require_POST
def project_leave(request, slug):
    project = _project_or_404(request, slug)
    try:
        left = services.project_leave(user=request.user, project=project)
    except ValidationError as error:
        messages.error(request, _refused(error))
        return redirect(project)
    messages.success(request, gettext("You left the project.") if left else
                     gettext("You were not in this project."))
    return redirect(project)


@login_required
@require_POST
def project_follow(request, slug):
    project = _project_or_404(request, slug)
    follow = request.POST.get("follow") != "0"
    services.project_follow_set(user=request.user, project=project, follow=follow)
    messages.success(request, gettext("You follow this project's updates.") if follow else
                     gettext("You no longer follow this project."))
    return redirect(project)


@login_required
@require_POST
def project_role(request, slug, username):
    project = _project_or_404(request, slug)
    member = get_object_or_404(User, username=username)
    form = RoleForm(request.POST)
    permissions.require(permissions.can_manage_project(request.user, project),
                        gettext("Only the project's leads and the hosts give roles."))
    if not form.is_valid():
        messages.error(request, gettext("Choose lead or contributor."))
        return redirect(project)
    try:
        services.project_role_set(actor=request.user, project=project, member=member,
                                  role=form.cleaned_data["role"])
    except ValidationError as error:
        messages.error(request, _refused(error))
        return redirect(project)
    messages.success(request, (gettext("%(name)s is now a %(role)s.")
                               % {"name": member.name, "role": form.cleaned_data["role"]}))
    return redirect(project)


@login_required
@require_POST
def need_add(request, slug):
    project = _project_or_404(request, slug)
    permissions.require(permissions.can_manage_project(request.user, project),
                        gettext("Only the project's leads and the hosts list what it needs."))
    form = NeedForm(request.POST)
    if form.is_valid():
        try:
            services.need_add(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, gettext("Added to the needs list."))
            return redirect(f"{project.get_absolute_url()}#needs")
    return _render_project(request, project, need_form=form, status=400)


@login_required
@require_POST
def need_remove(request, slug, pk):
    project = _project_or_404(request, slug)
    need = get_object_or_404(Need, pk=pk, project=project)
    services.need_remove(actor=request.user, need=need)
    messages.success(request, (gettext("“%(name)s” is off the list.") % {"name": need.name}))
    return redirect(f"{project.get_absolute_url()}#needs")


@login_required
@require_POST
def need_pledge(request, slug, pk):
    project = _project_or_404(request, slug)
    need = get_object_or_404(Need.objects.select_related("project"), pk=pk, project=project)
    if request.POST.get("withdraw"):
        services.pledge_withdraw(user=request.user, need=need)
        messages.success(request, gettext("Your pledge is withdrawn."))
        return redirect(f"{project.get_absolute_url()}#needs")
    form = PledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Pledge a number from 1 upwards."))
        return redirect(f"{project.get_absolute_url()}#needs")
    try:
        services.pledge_set(user=request.user, need=need, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _refused(error))
    else:
        messages.success(request, (gettext("Thank you! You pledged %(quantity)s × %(name)s.")
                                   % {"quantity": form.cleaned_data["quantity"],
                                      "name": need.name}))
    return redirect(f"{project.get_absolute_url()}#needs")


@login_required
@require_POST
def project_update(request, slug):
    project = _project_or_404(request, slug)
    permissions.require(permissions.can_manage_project(request.user, project),
                        gettext("Only the project's leads and the hosts post updates."))
    form = UpdateForm(request.POST)
    if preview_into(request, form):  # "Preview" without JavaScript: nothing is posted
        return _render_project(request, project, update_form=form)
    if not form.is_valid():
        return _render_project(request, project, update_form=form, status=400)
    done = submissions.once(
        request.user, form, lambda: services.update_post(
            actor=request.user, project=project, body=form.cleaned_data["body"]),
        url_of=lambda _update: project.get_absolute_url())
    if done.error:  # the content check: the text stays
        return _render_project(request, project, update_form=form, status=400)
    if not done.repeat:
        messages.success(request, gettext("Update posted; followers are notified."))
    return redirect(f"{project.get_absolute_url()}#updates")


@require_GET
def project_updates(request, slug):
    """The whole updates timeline, paged."""
    project = _project_or_404(request, slug)
    page = selectors.updates_page(project=project, page=page_number(request.GET.get("page")))
    return render(request, "purpose/updates.html", {
        "project": project, "updates": page.items, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def project_discuss(request, slug):
    """Start a discussion that belongs to the project. ``purpose/discussion_form.html``."""
    project = _project_or_404(request, slug)
    permissions.require(permissions.can_take_part(request.user),
                        permissions.why_not(request.user))
    if request.method == "POST":
        form = DiscussionForm(request.POST)
        if not preview_into(request, form) and form.is_valid():
            data = form.cleaned_data
            done = submissions.once(request.user, form, lambda: services.discussion_start(
                author=request.user, project=project, title=data["title"], body=data["body"]))
            if done.repeat:
                return redirect(done.url or project)
            if not done.error:
                thread = done.made
                messages.success(request, (gettext("Your discussion is up, linked to “%(title)s”.")
                                           % {"title": project.title}))
                return redirect(thread)
        draft = None
    else:
        draft = community_drafts.draft_for(request.user, drafts.discuss_place(project))
        form = DiscussionForm(initial={"title": draft.title, "body": draft.body}
                              if draft else None)
    return render(request, "purpose/discussion_form.html", {
        "form": form, "project": project, "draft": draft,
        "draft_place": drafts.discuss_place(project)}, status=form_status(form))


@login_required
@require_POST
def project_voting(request, slug):
    project = _project_or_404(request, slug)
    permissions.require(permissions.can_manage_project(request.user, project),
                        gettext("Only the project's leads set the closing date."))
    form = VotingForm(request.POST)
    if not form.is_valid():
        return _render_project(request, project, voting_form=form, status=400)
    try:
        services.voting_close_set(actor=request.user, project=project,
                                  closes_at=form.cleaned_data["closes_at"])
    except ValidationError as error:
        messages.error(request, _refused(error))
        return redirect(f"{project.get_absolute_url()}#contributions")
    messages.success(request, gettext("Voting closing date saved.")
                     if form.cleaned_data["closes_at"]
                     else gettext("Voting stays open with no closing date."))
    return redirect(f"{project.get_absolute_url()}#contributions")


@require_GET
def project_contributions(request, slug):
    """Every contribution, ranked by votes."""
    project = _project_or_404(request, slug)
    page = selectors.contributions_page(project=project,
                                        page=page_number(request.GET.get("page")))
    return render(request, "purpose/contributions.html", {
        "project": project, "contributions": page.items, "page": page,
        "offset": page.offset})


@login_required
@require_GET
def my_projects(request):
    """Projects I am in, proposals waiting, my contributions and pledges."""
    return render(request, "purpose/my_projects.html",
                  selectors.my_projects(user=request.user))


# Contributions ------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def contribute(request, slug):
    project = _project_or_404(request, slug)
    if not permissions.can_contribute(request.user, project):
        if permissions.can_take_part(request.user):
            messages.error(request, services.contribution_refusal(project))
            return redirect(project)
        raise PermissionDenied(permissions.why_not(request.user))
    if request.method == "POST":
        form = ContributionForm(request.POST, request.FILES)
        if not preview_into(request, form) and form.is_valid():
            data = form.cleaned_data
            done = submissions.once(request.user, form, lambda: services.contribution_submit(
                author=request.user, project=project, kind=data["kind"],
                title=data["title"], body=data.get("body", ""), image=data.get("image")))
            if done.repeat:
                return redirect(done.url or project)
            if not done.error:  # refused by the content check: the text stays
                contribution = done.made
                messages.success(request, gettext("Your contribution is in. The community can vote "
                                          "on it now."))
                return redirect(contribution)
        draft = None
    else:
        initial = {"kind": request.GET.get("kind", "idea")}
        draft = community_drafts.draft_for(request.user, drafts.contribute_place(project))
        if draft:
            initial.update(title=draft.title, body=draft.body)
        form = ContributionForm(initial=initial)
    return render(request, "purpose/contribution_form.html", {
        "form": form, "project": project, "contribution": None, "draft": draft,
        "draft_place": drafts.contribute_place(project)}, status=form_status(form))


@require_GET
def contribution_detail(request, pk):
    """One contribution with its votes and rank. Template ``purpose/contribution.html``."""
    contribution = _contribution_or_404(request, pk)
    project = contribution.project
    voted = permissions.is_member(request.user) and contribution.votes.filter(
        voter=request.user).exists()
    return render(request, "purpose/contribution.html", {
        "contribution": contribution, "project": project, "voted": voted,
        "rank": selectors.contribution_rank(contribution),
        "may_vote": permissions.can_vote_contribution(request.user, contribution),
        "may_edit": permissions.can_edit_contribution(request.user, contribution),
        "may_confirm": permissions.can_confirm_winner(request.user)
        and project.voting_closed() and not contribution.is_winner,
        "voting_open": project.voting_open(), "voting_closed": project.voting_closed(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def contribution_edit(request, pk):
    contribution = _contribution_or_404(request, pk)
    frozen = (contribution.author_id == request.user.pk
              and services.contribution_frozen_reason(contribution))
    if frozen:  # the vote is over: its votes were cast on this text
        raise PermissionDenied(frozen)
    permissions.require(permissions.can_edit_contribution(request.user, contribution),
                        gettext("Only its author can edit this contribution."))
    if request.method == "POST":
        form = ContributionForm(request.POST, request.FILES, editing=contribution)
        if not preview_into(request, form) and form.is_valid():
            data = form.cleaned_data
            try:
                services.contribution_edit(actor=request.user, contribution=contribution,
                                           title=data["title"], body=data.get("body", ""),
                                           image=data.get("image"))
            except ValidationError as error:  # the text stays in the form
                form.add_error(None, error)
            else:
                messages.success(request, gettext("Contribution saved."))
                return redirect(contribution)
        draft = None
    else:
        draft = community_drafts.draft_for(request.user,
                                           drafts.contribution_place(contribution))
        form = ContributionForm(editing=contribution, initial={
            "title": draft.title if draft else contribution.title,
            "body": draft.body if draft else contribution.body})
    return render(request, "purpose/contribution_form.html", {
        "form": form, "project": contribution.project, "contribution": contribution,
        "draft": draft, "draft_place": drafts.contribution_place(contribution),
    }, status=form_status(form))


@login_required
@require_POST
def contribution_vote(request, pk):
    contribution = _contribution_or_404(request, pk)
    try:
        if request.POST.get("withdraw"):
            withdrawn = services.contribution_unvote(voter=request.user,
                                                     contribution=contribution)
            messages.success(request, gettext("Your vote is withdrawn.") if withdrawn else
                             gettext("You had not voted for this."))
        else:
            services.contribution_vote(voter=request.user, contribution=contribution)
            messages.success(request, (gettext("You voted for “%(title)s”.")
                                       % {"title": contribution.title}))
    except ValidationError as error:
        messages.error(request, _refused(error))
    return redirect(contribution)


@login_required
@require_POST
def contribution_confirm(request, pk):
    contribution = _contribution_or_404(request, pk)
    try:
        services.winner_confirm(actor=request.user, contribution=contribution)
    except ValidationError as error:
        messages.error(request, _refused(error))
        return redirect(contribution)
    messages.success(request, (gettext("“%(title)s” is confirmed as a winner and credited to its "
                                       "author.") % {"title": contribution.title}))
    return redirect(contribution.project)
