"""Moments that are part of a project: purpose's side of ``community.moment_ties``.

A host ties a moment to an open, building or done project (from the moment's form); the tie
is a :class:`~purpose.models.ProjectMoment` row and a ``project_moment`` event, whose row in
the stale table names the project and the moment's thread, so the moment's page, the
project's page and the partner's page show it at once. :data:`PROVIDER` is registered from
``PurposeConfig.ready()``.
"""
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from community import moment_ties, permissions
from community.services.moments import HOST_REFUSAL

from . import events
from .models import Project, ProjectMoment

TIEABLE = (Project.Status.OPEN, Project.Status.BUILDING, Project.Status.DONE)
CHOICES_MAX = 200


def choices(moment=None) -> list[tuple[int, str]]:
    """Projects a host may tie ``moment`` to, and the one it is tied to (one query)."""
    tieable = Q(status__in=TIEABLE)
    if moment is not None and moment.pk:
        tieable |= Q(moment_ties__moment=moment)
    return list(Project.objects.filter(tieable).order_by("title", "pk")
                .values_list("pk", "title")[:CHOICES_MAX])


def tie_of(moment) -> moment_ties.Tie | None:
    """The line on the moment's page: "Part of the project <title>" (one query)."""
    tie = ProjectMoment.objects.filter(moment=moment).select_related("project").first()
    if tie is None:
        return None
    project = tie.project
    return moment_ties.Tie(key="project", pk=project.pk, words=gettext("Part of the project"),
                           name=project.title, url=project.get_absolute_url())


def moment_tie(*, host, moment, pk: int) -> bool:
    """Tie ``moment`` to the project ``pk`` (instead of any other project); False when it
    was already."""
    permissions.require(permissions.can_host_moment(host, moment), HOST_REFUSAL)
    project = Project.objects.get(pk=pk)
    with transaction.atomic():
        current = ProjectMoment.objects.select_for_update().filter(moment=moment).first()
        if current is not None and current.project_id == project.pk:
            return False
        if current is not None:
            _untie(host, moment, current)
        ProjectMoment.objects.create(project=project, moment=moment, tied_by=host)
        events.ProjectMomentTied.record(actor=host, thread=moment.thread_id,
                                        project=project.pk, moment=moment.pk, tied=True,
                                        organisation=project.organisation_id)
    return True


def moment_untie(*, host, moment) -> bool:
    """``moment`` is no longer part of a project; False when it was not."""
    permissions.require(permissions.can_host_moment(host, moment), HOST_REFUSAL)
    with transaction.atomic():
        current = ProjectMoment.objects.select_for_update().filter(moment=moment).first()
        if current is None:
            return False
        _untie(host, moment, current)
    return True


def _untie(host, moment, tie: ProjectMoment) -> None:
    organisation = Project.objects.filter(pk=tie.project_id).values_list(
        "organisation_id", flat=True).first()
    tie.delete()
    events.ProjectMomentTied.record(actor=host, thread=moment.thread_id,
                                    project=tie.project_id, moment=moment.pk, tied=False,
                                    organisation=organisation)


PROVIDER = moment_ties.Provider(key="project", group="Projects", choices=choices,
                                tie_of=tie_of, tie=moment_tie, untie=moment_untie)
