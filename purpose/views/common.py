"""What the purpose pages share: finding a project or contribution the reader may see, and
the project page drawn with its forms."""
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext

from community import permissions
from community.services import drafts as community_drafts

from .. import drafts, selectors
from ..forms import NeedForm, UpdateForm, VotingForm
from ..models import Contribution, Project


def refused(error: ValidationError) -> str:
    return " ".join(error.messages)


def project_or_404(request, slug) -> Project:
    try:
        project = selectors.project_get(slug)
    except Project.DoesNotExist:
        raise Http404(gettext("No such project.")) from None
    if not permissions.can_view_project(request.user, project):
        raise Http404(gettext("No such project."))
    return project


def contribution_or_404(request, pk) -> Contribution:
    try:
        contribution = selectors.contribution_get(pk)
    except Contribution.DoesNotExist:
        raise Http404(gettext("No such contribution.")) from None
    if not permissions.can_view_project(request.user, contribution.project):
        raise Http404(gettext("No such contribution."))
    return contribution


def render_project(request, project, *, status=200, **forms):
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
