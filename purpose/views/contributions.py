"""Contributions to a project: the voting, the list, contributing, a contribution's page,
its editing, votes and confirmation."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import permissions, submissions
from community.composer import form_status, preview_into
from community.services import drafts as community_drafts

from .. import drafts, selectors, services
from ..forms import ContributionForm
from .common import contribution_or_404, project_or_404, refused


@login_required
@require_http_methods(["GET", "POST"])
def contribute(request, slug):
    project = project_or_404(request, slug)
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
    contribution = contribution_or_404(request, pk)
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
    contribution = contribution_or_404(request, pk)
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
    contribution = contribution_or_404(request, pk)
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
        messages.error(request, refused(error))
    return redirect(contribution)


@login_required
@require_POST
def contribution_confirm(request, pk):
    contribution = contribution_or_404(request, pk)
    try:
        services.winner_confirm(actor=request.user, contribution=contribution)
    except ValidationError as error:
        messages.error(request, refused(error))
        return redirect(contribution)
    messages.success(request, (gettext("“%(title)s” is confirmed as a winner and credited to its "
                                       "author.") % {"title": contribution.title}))
    return redirect(contribution.project)
