"""The places a member writes in on project pages, for the composer's drafts
(``community.services.drafts``): registered from ``PurposeConfig.ready()``.

``update:<project>`` (a project update, by its leads and the hosts), ``contribute:<project>``
(a new contribution), ``contribution:<contribution>`` (its author's edit) and
``discuss:<project>`` (a discussion started from the project). Each check raises 404 for a
project the member may not see and answers None when they may write there, else the
sentence refusing them; the services that post the text discard its draft.
"""
from django.http import Http404
from django.utils.translation import gettext

from community import permissions

from .models import Contribution, Project

PREFIXES = ("update", "contribute", "contribution", "discuss")


def update_place(project) -> str:
    return f"update:{project.pk}"


def contribute_place(project) -> str:
    return f"contribute:{project.pk}"


def contribution_place(contribution) -> str:
    return f"contribution:{contribution.pk}"


def discuss_place(project) -> str:
    return f"discuss:{project.pk}"


def _project(member, key: str) -> Project:
    project = Project.objects.filter(pk=int(key)).first()
    if project is None or not permissions.can_view_project(member, project):
        raise Http404(gettext("No such project."))
    return project


def may_update(member, key: str) -> str | None:
    project = _project(member, key)
    if permissions.can_manage_project(member, project):
        return None
    return (permissions.why_not(member) if not permissions.can_take_part(member)
            else gettext("Only the project's leads and the hosts post updates."))


def may_contribute(member, key: str) -> str | None:
    project = _project(member, key)
    if permissions.can_contribute(member, project):
        return None
    from .services import contribution_refusal

    return (permissions.why_not(member) if not permissions.can_take_part(member)
            else contribution_refusal(project))


def may_edit_contribution(member, key: str) -> str | None:
    contribution = Contribution.objects.select_related("project").filter(pk=int(key)).first()
    if contribution is None or not permissions.can_view_project(member, contribution.project):
        raise Http404(gettext("No such contribution."))
    if permissions.can_edit_contribution(member, contribution):
        return None
    return (permissions.why_not(member) if not permissions.can_take_part(member)
            else gettext("Only its author can edit this contribution, while its vote is open."))


def may_discuss(member, key: str) -> str | None:
    _project(member, key)
    return None if permissions.can_take_part(member) else permissions.why_not(member)


CHECKS = {"update": may_update, "contribute": may_contribute,
          "contribution": may_edit_contribution, "discuss": may_discuss}
