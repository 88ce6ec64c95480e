"""Projects: the list, proposing, the project page and its editing, status, joining,
leaving, following, roles, needs and pledges, updates and the discussion."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import permissions, submissions
from community.composer import form_status, preview_into
from community.models import User
from community.selectors.feeds import page_number
from community.services import drafts as community_drafts

from .. import drafts, selectors, services
from ..forms import (
    DiscussionForm,
    NeedForm,
    PledgeForm,
    ProjectForm,
    RoleForm,
    StatusForm,
    UpdateForm,
    VotingForm,
)
from ..models import Need, Project
from .common import project_or_404, refused, render_project


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
    project = project_or_404(request, slug)
    return render_project(request, project)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, slug):
    project = project_or_404(request, slug)
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
    project = project_or_404(request, slug)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose a status the project can move to."))
        return redirect(project)
    try:
        services.project_status_set(actor=request.user, project=project,
                                    to_status=form.cleaned_data["status"],
                                    note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, refused(error))
        return redirect(project)
    project.refresh_from_db(fields=["status"])
    messages.success(request, (gettext("The project is %(status)s.")
                               % {"status": project.get_status_display().lower()}))
    return redirect(project)


@login_required
@require_POST
def project_join(request, slug):
    project = project_or_404(request, slug)
    if services.project_join(user=request.user, project=project):
        messages.success(request, gettext("You joined the project. Pledge what you can bring, or "
                                  "share an idea."))
    else:
        messages.info(request, gettext("You are already in this project."))
    return redirect(project)


@login_required
@require_POST
def project_leave(request, slug):
    project = project_or_404(request, slug)
    try:
        left = services.project_leave(user=request.user, project=project)
    except ValidationError as error:
        messages.error(request, refused(error))
        return redirect(project)
    messages.success(request, gettext("You left the project.") if left else
                     gettext("You were not in this project."))
    return redirect(project)


@login_required
@require_POST
def project_follow(request, slug):
    project = project_or_404(request, slug)
    follow = request.POST.get("follow") != "0"
    services.project_follow_set(user=request.user, project=project, follow=follow)
    messages.success(request, gettext("You follow this project's updates.") if follow else
                     gettext("You no longer follow this project."))
    return redirect(project)


@login_required
@require_POST
def project_role(request, slug, username):
    project = project_or_404(request, slug)
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
        messages.error(request, refused(error))
        return redirect(project)
    messages.success(request, (gettext("%(name)s is now a %(role)s.")
                               % {"name": member.name, "role": form.cleaned_data["role"]}))
    return redirect(project)


@login_required
@require_POST
def need_add(request, slug):
    project = project_or_404(request, slug)
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
    return render_project(request, project, need_form=form, status=400)


@login_required
@require_POST
def need_remove(request, slug, pk):
    project = project_or_404(request, slug)
    need = get_object_or_404(Need, pk=pk, project=project)
    services.need_remove(actor=request.user, need=need)
    messages.success(request, (gettext("“%(name)s” is off the list.") % {"name": need.name}))
    return redirect(f"{project.get_absolute_url()}#needs")


@login_required
@require_POST
def need_pledge(request, slug, pk):
    project = project_or_404(request, slug)
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
        messages.error(request, refused(error))
    else:
        messages.success(request, (gettext("Thank you! You pledged %(quantity)s × %(name)s.")
                                   % {"quantity": form.cleaned_data["quantity"],
                                      "name": need.name}))
    return redirect(f"{project.get_absolute_url()}#needs")


@login_required
@require_POST
def project_update(request, slug):
    project = project_or_404(request, slug)
    permissions.require(permissions.can_manage_project(request.user, project),
                        gettext("Only the project's leads and the hosts post updates."))
    form = UpdateForm(request.POST)
    if preview_into(request, form):  # "Preview" without JavaScript: nothing is posted
        return render_project(request, project, update_form=form)
    if not form.is_valid():
        return render_project(request, project, update_form=form, status=400)
    done = submissions.once(
        request.user, form, lambda: services.update_post(
            actor=request.user, project=project, body=form.cleaned_data["body"]),
        url_of=lambda _update: project.get_absolute_url())
    if done.error:  # the content check: the text stays
        return render_project(request, project, update_form=form, status=400)
    if not done.repeat:
        messages.success(request, gettext("Update posted; followers are notified."))
    return redirect(f"{project.get_absolute_url()}#updates")


@require_GET
def project_updates(request, slug):
    """The whole updates timeline, paged."""
    project = project_or_404(request, slug)
    page = selectors.updates_page(project=project, page=page_number(request.GET.get("page")))
    return render(request, "purpose/updates.html", {
        "project": project, "updates": page.items, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def project_discuss(request, slug):
    """Start a discussion that belongs to the project. ``purpose/discussion_form.html``."""
    project = project_or_404(request, slug)
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
    project = project_or_404(request, slug)
    permissions.require(permissions.can_manage_project(request.user, project),
                        gettext("Only the project's leads set the closing date."))
    form = VotingForm(request.POST)
    if not form.is_valid():
        return render_project(request, project, voting_form=form, status=400)
    try:
        services.voting_close_set(actor=request.user, project=project,
                                  closes_at=form.cleaned_data["closes_at"])
    except ValidationError as error:
        messages.error(request, refused(error))
        return redirect(f"{project.get_absolute_url()}#contributions")
    messages.success(request, gettext("Voting closing date saved.")
                     if form.cleaned_data["closes_at"]
                     else gettext("Voting stays open with no closing date."))
    return redirect(f"{project.get_absolute_url()}#contributions")


@require_GET
def project_contributions(request, slug):
    """Every contribution, ranked by votes."""
    project = project_or_404(request, slug)
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
