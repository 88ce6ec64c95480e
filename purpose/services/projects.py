"""Writes of projects: proposing, editing, status, members and roles, follows, needs and
pledges, updates and discussions."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from community import permissions
from community.models import Space
from community.services import conversations
from community.services import drafts as community_drafts

from .. import drafts, events
from ..models import (
    Need,
    Pledge,
    Project,
    ProjectFollow,
    ProjectMember,
    ProjectThread,
    ProjectUpdate,
    StatusChange,
)
from .common import Status, followers, html_of, record, touch

# Projects ----------------------------------------------------------------------------

def _lead(project: Project, user) -> None:
    ProjectMember.objects.update_or_create(
        project=project, user=user, defaults={"role": ProjectMember.Role.LEAD})
    ProjectFollow.objects.get_or_create(project=project, user=user)


def project_propose(*, author, title: str, goal: str, description: str, cover=None,
                    space: Space | None = None, now=None) -> Project:
    """Hosts open a project at once; anyone else's proposal waits for a host's approval.

    The proposer leads it. A partner's proposal is credited to their organisation."""
    permissions.require(permissions.can_propose_project(author), permissions.why_not(author))
    now = now or timezone.now()
    staff = permissions.is_staff_host(author)
    organisation_ids = sorted(author.partner_organisation_ids) if not staff else []
    status = Status.OPEN if staff else Status.PROPOSED
    with transaction.atomic():
        project = Project(
            title=title.strip(), goal=goal.strip(), description=description.strip(),
            description_html=html_of(description, author), status=status, proposed_by=author,
            organisation_id=organisation_ids[0] if len(organisation_ids) == 1 else None,
            space=space or Space.objects.order_by("position", "pk").first(),
            created_at=now, last_activity_at=now, member_count=1,
        )
        if cover:
            project.cover = cover
        project.save()
        StatusChange.objects.create(project=project, to_status=status, by=author,
                                    created_at=now,
                                    note="Opened by the host team" if staff else "Proposed")
        _lead(project, author)
        record(events.ProjectProposed, actor=author, project=project, status=status,
               organisation=project.organisation_id)
    return project


def project_edit(*, actor, project: Project, title: str, goal: str, description: str,
                 cover=None, remove_cover: bool = False, space: Space | None = None) -> None:
    permissions.require(permissions.can_manage_project(actor, project),
                        gettext("Only the project's leads and the hosts edit it."))
    description_html = html_of(description, actor, project.description)
    renamed = title.strip() != project.title
    project.title, project.goal = title.strip(), goal.strip()
    project.description, project.description_html = description.strip(), description_html
    if space is not None:
        project.space = space
    if cover:
        project.cover = cover
    elif remove_cover:
        project.cover = ""
    with transaction.atomic():
        project.save(update_fields=["title", "goal", "description", "description_html",
                                    "space", "cover"])
        # The pages of the moments tied to it name it: their threads, when its name changes.
        threads = (list(project.moment_ties.order_by("moment__thread_id")
                        .values_list("moment__thread_id", flat=True)) if renamed else None)
        record(events.ProjectEdited, actor=actor, project=project, what="details",
               threads=threads or None)


def project_status_set(*, actor, project: Project, to_status: str, note: str = "") -> None:
    """Move the project on; every move is dated. Approving a proposal is a host's.

    ``project`` is updated in place."""
    given = project
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.status == Status.PROPOSED and to_status == Status.OPEN:
            permissions.require(
                project.proposed_by_id != getattr(actor, "pk", None),
                gettext("You cannot approve your own proposal: a host decides."))
            permissions.require(permissions.can_approve_project(actor, project),
                                gettext("Only a host can approve a proposed project."))
        else:
            permissions.require(permissions.can_manage_project(actor, project),
                                gettext("Only the project's leads and the hosts change its "
                                        "status."))
        if to_status not in Project.TRANSITIONS.get(project.status, ()):
            raise ValidationError(
                gettext("A %(status)s project cannot become %(to_status)s.") % {
                    "status": project.get_status_display().lower(),
                    "to_status": (Status(to_status).label.lower() if to_status in Status.values
                                  else to_status)})
        if project.status == Status.PROPOSED and not permissions.is_staff_host(actor):
            raise ValidationError(gettext("A proposal waits for a host's decision."))
        before = project.status
        project.status = to_status
        project.last_activity_at = timezone.now()
        project.save(update_fields=["status", "last_activity_at"])
        given.status, given.last_activity_at = project.status, project.last_activity_at
        StatusChange.objects.create(project=project, from_status=before, to_status=to_status,
                                    by=actor, note=note.strip()[:300])
        label = Status(to_status).label.lower()
        message = ((gettext("“%(title)s” was approved and is open: join in")
                    % {"title": project.title})
                   if before == Status.PROPOSED and to_status == Status.OPEN
                   else (gettext("“%(title)s” is now %(label)s") % {"title": project.title,
                                                                    "label": label}))
        record(events.ProjectStatus, actor=actor, project=project, notify=followers(project),
               message=message, to_status=to_status, from_status=before)


def project_join(*, user, project: Project) -> bool:
    """Join as a contributor (and follow). False if already in."""
    permissions.require(permissions.can_join_project(user, project),
                        (gettext("This project is %(status)s: it takes no new people.")
                         % {"status": project.get_status_display().lower()})
                        if permissions.can_take_part(user) else permissions.why_not(user))
    with transaction.atomic():
        _, created = ProjectMember.objects.get_or_create(project=project, user=user)
        ProjectFollow.objects.get_or_create(project=project, user=user)
        if created:
            touch(project, member_count=1)
            record(events.ProjectJoined, actor=user, project=project)
    return created


def project_leave(*, user, project: Project) -> bool:
    with transaction.atomic():
        membership = (ProjectMember.objects.select_for_update()
                      .filter(project=project, user=user).first())
        if membership is None:
            return False
        if membership.role == ProjectMember.Role.LEAD and not ProjectMember.objects.filter(
                project=project, role=ProjectMember.Role.LEAD).exclude(user=user).exists():
            raise ValidationError(gettext("You are the only lead: make someone else a lead before "
                                  "you leave."))
        membership.delete()
        touch(project, member_count=-1)
        record(events.ProjectLeft, actor=user, project=project)
    return True


def project_follow_set(*, user, project: Project, follow: bool) -> None:
    conversations.follow_set(user=user, model=ProjectFollow, follow=follow, what="projects",
                             target={"project": project}, recorded={"project": project.pk})


def project_role_set(*, actor, project: Project, member, role: str) -> None:
    permissions.require(permissions.can_manage_project(actor, project),
                        gettext("Only the project's leads and the hosts give roles."))
    if role not in ProjectMember.Role.values:
        raise ValidationError(gettext("Choose lead or contributor."))
    with transaction.atomic():
        membership = (ProjectMember.objects.select_for_update()
                      .filter(project=project, user=member).first())
        if membership is None:
            raise ValidationError(gettext("%(name)s has not joined this project.")
                                  % {"name": member.name})
        if role == ProjectMember.Role.CONTRIBUTOR and membership.role == ProjectMember.Role.LEAD \
                and not ProjectMember.objects.filter(project=project, role="lead").exclude(
                    pk=membership.pk).exists():
            raise ValidationError(
                gettext("A project needs a lead: make someone else a lead first."))
        membership.role = role
        membership.save(update_fields=["role"])
        record(events.ProjectEdited, actor=actor, project=project, subject_user=member,
               what="role")


# Needs and pledges -------------------------------------------------------------------

def need_add(*, actor, project: Project, kind: str, name: str, wanted: int) -> Need:
    permissions.require(permissions.can_manage_project(actor, project),
                        gettext("Only the project's leads and the hosts list what it needs."))
    try:
        with transaction.atomic():
            need = Need.objects.create(project=project, kind=kind, name=name.strip(),
                                       wanted=wanted)
            record(events.ProjectEdited, actor=actor, project=project, what="needs")
    except IntegrityError:
        raise ValidationError(gettext("“%(name)s” is already on the list.")
                              % {"name": name.strip()}) from None
    touch(project)
    return need


def need_remove(*, actor, need: Need) -> None:
    permissions.require(permissions.can_manage_project(actor, need.project),
                        gettext("Only the project's leads and the hosts edit the needs list."))
    with transaction.atomic():
        need.delete()
        record(events.ProjectEdited, actor=actor, project=need.project, what="needs")


def pledge_set(*, user, need: Need, quantity: int, note: str = "") -> Pledge:
    """Pledge (or change a pledge) to bring ``quantity`` of a need; never beyond what is
    still missing, and only while the project is open or building."""
    project = need.project
    if permissions.can_take_part(user) and not project.is_active:
        raise ValidationError(gettext("This project is %(status)s: it takes no more pledges.")
                              % {"status": project.get_status_display().lower()})
    permissions.require(permissions.can_pledge(user, project), permissions.why_not(user))
    if quantity < 1:
        raise ValidationError(gettext("Pledge at least one."))
    with transaction.atomic():
        need = Need.objects.select_for_update().get(pk=need.pk)
        mine = Pledge.objects.filter(need=need, user=user).first()
        before = mine.quantity if mine else 0
        room = need.wanted - need.pledged + before
        if quantity > room:
            raise ValidationError(
                (gettext("Only %(room)s still missing for “%(name)s”.") % {"room": room,
                        "name": need.name}) if room > 0
                else (gettext("“%(name)s” is covered already: thank you!") % {"name": need.name}))
        if mine is None:
            mine = Pledge.objects.create(need=need, user=user, quantity=quantity,
                                         note=note.strip())
            record(events.Pledged, actor=user, project=project, need=need.pk)
        else:
            mine.quantity, mine.note = quantity, note.strip()
            mine.save(update_fields=["quantity", "note"])
        Need.objects.filter(pk=need.pk).update(pledged=F("pledged") + quantity - before)
        touch(project)
    return mine


def pledge_withdraw(*, user, need: Need) -> bool:
    with transaction.atomic():
        need = Need.objects.select_for_update().get(pk=need.pk)
        mine = Pledge.objects.filter(need=need, user=user).first()
        if mine is None:
            return False
        Need.objects.filter(pk=need.pk).update(pledged=F("pledged") - mine.quantity)
        mine.delete()
        record(events.PledgeWithdrawn, actor=user, project=need.project, need=need.pk)
    return True


# Updates and discussions -------------------------------------------------------------

def update_post(*, actor, project: Project, body: str) -> ProjectUpdate:
    """A dated update on the timeline; every follower is notified."""
    permissions.require(permissions.can_manage_project(actor, project),
                        gettext("Only the project's leads and the hosts post updates."))
    with transaction.atomic():
        update = ProjectUpdate.objects.create(project=project, author=actor, body=body.strip(),
                                              body_html=html_of(body, actor))
        touch(project)
        record(events.ProjectUpdate, actor=actor, project=project, notify=followers(project),
               message=(gettext("%(name)s posted an update on “%(title)s”") % {"name": actor.name,
                       "title": project.title}),
               update=update.pk)
        community_drafts.draft_discard(member=actor, place=drafts.update_place(project))
    return update


def discussion_start(*, author, project: Project, title: str, body: str):
    """A thread in the conversation layer, linked to the project."""
    permissions.require(permissions.can_take_part(author), permissions.why_not(author))
    space = project.space or Space.objects.order_by("position", "pk").first()
    if space is None:
        raise ValidationError(gettext("There is no space to hold the discussion yet."))
    with transaction.atomic():
        thread = conversations.thread_create(author=author, space=space, kind="discussion",
                                              title=title, body=body,
                                              draft_place=drafts.discuss_place(project))
        ProjectThread.objects.create(project=project, thread=thread, linked_by=author)
        touch(project)
    return thread
