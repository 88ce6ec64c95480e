"""Writes of the purpose app: the purpose page, projects, needs, contributions, votes.

Each function checks permission (403 with the reason) or the rule (``ValidationError`` with
the sentence to show), writes in one transaction, bumps counters with ``F()`` and appends the
``EngagementEvent`` that the engagement engine scores and fans out as notifications.
"""
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from community import permissions
from community.content import limits
from community.engine.events import Addressed
from community.models import Space
from community.services import conversations
from community.services import drafts as community_drafts

from . import drafts, events
from .models import (
    Contribution,
    ContributionVote,
    Need,
    Pledge,
    Project,
    ProjectFollow,
    ProjectMember,
    ProjectThread,
    ProjectUpdate,
    PurposeRevision,
    StatusChange,
)

Status = Project.Status


def _render(text: str, author, previous: str = "") -> str:
    """Member Markdown through the community's one content check (size and constructs, a
    new member's limits, the spam check) and rendered. These texts have no review queue:
    one the spam check would hold is refused with a message instead."""
    checked = limits.content_check(author, text, previous=previous)
    if checked.held:
        raise ValidationError(gettext("Your text contains words the hosts review before they are "
                              "published; please reword it."), code="held")
    return checked.rendered.html


def _touch(project: Project, now=None, **counters) -> None:
    Project.objects.filter(pk=project.pk).update(
        last_activity_at=now or timezone.now(),
        **{name: F(name) + delta for name, delta in counters.items()},
    )


def _followers(project: Project) -> list[int]:
    return list(project.follows.order_by("user_id").values_list("user_id", flat=True))


def _event(kind: type[events.Payload], *, actor, project, subject_user=None, **fields):
    """Record ``kind`` about ``project``; the people a kind tells are sent to the project."""
    if issubclass(kind, Addressed):
        fields["url"] = project.get_absolute_url()
    kind.record(actor=actor, subject_user=subject_user, project=project.pk, **fields)


# Purpose page ------------------------------------------------------------------------

ONLY_HOSTS_EDIT_PURPOSE = gettext_lazy("Only the host team edits the shared purpose.")


def purpose_revise(*, editor, statement: str, story: str, note: str = "") -> PurposeRevision:
    permissions.require(permissions.can_edit_purpose(editor), ONLY_HOSTS_EDIT_PURPOSE)
    with transaction.atomic():
        revision = PurposeRevision.objects.create(
            statement=statement.strip(), story=story.strip(), story_html=_render(story, editor),
            editor=editor, note=note.strip(),
        )
        events.PurposeRevised.record(actor=editor, revision=revision.pk)
    return revision


def purpose_restore(*, editor, revision: PurposeRevision) -> PurposeRevision:
    when = timezone.localtime(revision.created_at)
    return purpose_revise(editor=editor, statement=revision.statement, story=revision.story,
                          note=f"Restored the version of {when:%d %b %Y %H:%M}")


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
            description_html=_render(description, author), status=status, proposed_by=author,
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
        _event(events.ProjectProposed, actor=author, project=project, status=status,
               organisation=project.organisation_id)
    return project


def project_edit(*, actor, project: Project, title: str, goal: str, description: str,
                 cover=None, remove_cover: bool = False, space: Space | None = None) -> None:
    permissions.require(permissions.can_manage_project(actor, project),
                        gettext("Only the project's leads and the hosts edit it."))
    description_html = _render(description, actor, project.description)
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
        _event(events.ProjectEdited, actor=actor, project=project, what="details",
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
        _event(events.ProjectStatus, actor=actor, project=project, notify=_followers(project),
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
            _touch(project, member_count=1)
            _event(events.ProjectJoined, actor=user, project=project)
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
        _touch(project, member_count=-1)
        _event(events.ProjectLeft, actor=user, project=project)
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
        _event(events.ProjectEdited, actor=actor, project=project, subject_user=member,
               what="role")


# Needs and pledges -------------------------------------------------------------------

def need_add(*, actor, project: Project, kind: str, name: str, wanted: int) -> Need:
    permissions.require(permissions.can_manage_project(actor, project),
                        gettext("Only the project's leads and the hosts list what it needs."))
    try:
        with transaction.atomic():
            need = Need.objects.create(project=project, kind=kind, name=name.strip(),
                                       wanted=wanted)
            _event(events.ProjectEdited, actor=actor, project=project, what="needs")
    except IntegrityError:
        raise ValidationError(gettext("“%(name)s” is already on the list.")
                              % {"name": name.strip()}) from None
    _touch(project)
    return need


def need_remove(*, actor, need: Need) -> None:
    permissions.require(permissions.can_manage_project(actor, need.project),
                        gettext("Only the project's leads and the hosts edit the needs list."))
    with transaction.atomic():
        need.delete()
        _event(events.ProjectEdited, actor=actor, project=need.project, what="needs")


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
            _event(events.Pledged, actor=user, project=project, need=need.pk)
        else:
            mine.quantity, mine.note = quantity, note.strip()
            mine.save(update_fields=["quantity", "note"])
        Need.objects.filter(pk=need.pk).update(pledged=F("pledged") + quantity - before)
        _touch(project)
    return mine


def pledge_withdraw(*, user, need: Need) -> bool:
    with transaction.atomic():
        need = Need.objects.select_for_update().get(pk=need.pk)
        mine = Pledge.objects.filter(need=need, user=user).first()
        if mine is None:
            return False
        Need.objects.filter(pk=need.pk).update(pledged=F("pledged") - mine.quantity)
        mine.delete()
        _event(events.PledgeWithdrawn, actor=user, project=need.project, need=need.pk)
    return True


# Updates and discussions -------------------------------------------------------------

def update_post(*, actor, project: Project, body: str) -> ProjectUpdate:
    """A dated update on the timeline; every follower is notified."""
    permissions.require(permissions.can_manage_project(actor, project),
                        gettext("Only the project's leads and the hosts post updates."))
    with transaction.atomic():
        update = ProjectUpdate.objects.create(project=project, author=actor, body=body.strip(),
                                              body_html=_render(body, actor))
        _touch(project)
        _event(events.ProjectUpdate, actor=actor, project=project, notify=_followers(project),
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
        _touch(project)
    return thread


# Contributions and votes -------------------------------------------------------------

def voting_close_set(*, actor, project: Project, closes_at: datetime | None) -> None:
    permissions.require(permissions.can_manage_project(actor, project),
                        gettext("Only the project's leads set the closing date."))
    if project.contributions.filter(is_winner=True).exists():
        raise ValidationError(gettext("Winners are confirmed: this vote is over."))
    if closes_at is not None and closes_at <= timezone.now():
        raise ValidationError(gettext("Choose a closing date in the future."))
    with transaction.atomic():
        project.voting_closes_at = closes_at
        project.save(update_fields=["voting_closes_at"])
        _event(events.ProjectEdited, actor=actor, project=project, what="voting")


def contribution_refusal(project: Project) -> str:
    """Why a member who may take part cannot contribute to ``project``."""
    if project.voting_closed():
        return gettext("Voting on this project has closed: it takes no new contributions.")
    return gettext("This project is %(status)s: it takes no contributions.") % {
        "status": project.get_status_display().lower()}


def contribution_submit(*, author, project: Project, kind: str, title: str, body: str = "",
                        image=None) -> Contribution:
    if permissions.can_take_part(author) and not permissions.can_contribute(author, project):
        raise ValidationError(contribution_refusal(project))
    permissions.require(permissions.can_contribute(author, project), permissions.why_not(author))
    with transaction.atomic():
        contribution = Contribution(project=project, author=author, kind=kind,
                                    title=title.strip(), body=body.strip(),
                                    body_html=_render(body, author) if body.strip() else "")
        if image:
            contribution.image = image
        contribution.save()
        _touch(project, contribution_count=1)
        _event(events.Contributed, actor=author, project=project,
               contribution=contribution.pk, contribution_kind=kind)
        community_drafts.draft_discard(member=author, place=drafts.contribute_place(project))
    return contribution


def contribution_frozen_reason(contribution: Contribution) -> str:
    """Why ``contribution`` can no longer be edited ("" while its vote is open)."""
    if contribution.is_winner:
        return gettext("A winning contribution stays as the community voted for it.")
    if permissions.contribution_frozen(contribution):
        return gettext("Voting on this project is over: the contribution stays as the "
                       "community voted on it.")
    return ""


def contribution_edit(*, actor, contribution: Contribution, title: str, body: str,
                      image=None) -> None:
    """The author rewrites their contribution while its vote is open; after that its votes
    were cast on this text, so it stays as it is."""
    if contribution.author_id == actor.pk and (frozen := contribution_frozen_reason(
            contribution)):
        raise ValidationError(frozen)
    permissions.require(permissions.can_edit_contribution(actor, contribution),
                        gettext("Only its author can edit this contribution."))
    body_html = _render(body, actor, contribution.body) if body.strip() else ""
    contribution.title, contribution.body = title.strip(), body.strip()
    contribution.body_html = body_html
    if image:
        contribution.image = image
    contribution.updated_at = timezone.now()
    with transaction.atomic():
        contribution.save(update_fields=["title", "body", "body_html", "image", "updated_at"])
        _event(events.ContributionEdited, actor=actor, project=contribution.project,
               contribution=contribution.pk)
        community_drafts.draft_discard(member=actor,
                                       place=drafts.contribution_place(contribution))


def _voting_check(contribution: Contribution) -> None:
    project = contribution.project
    if project.voting_closed():
        when = timezone.localtime(project.voting_closes_at)
        raise ValidationError(gettext("Voting closed on %(day)s at %(time)s.") % {
            "day": date_format(when, "d F Y"), "time": date_format(when, "H:i")})
    if not project.is_active:
        raise ValidationError(gettext("This project is %(status)s: voting is over.")
                              % {"status": project.get_status_display().lower()})


def contribution_vote(*, voter, contribution: Contribution) -> None:
    """One vote per member per contribution, before the closing date, never your own."""
    if not permissions.can_take_part(voter):
        permissions.require(False, permissions.why_not(voter))
    if contribution.author_id == voter.pk:
        raise ValidationError(gettext("You cannot vote for your own contribution."))
    _voting_check(contribution)
    try:
        with transaction.atomic():
            ContributionVote.objects.create(contribution=contribution, voter=voter)
            Contribution.objects.filter(pk=contribution.pk).update(
                vote_count=F("vote_count") + 1)
            _touch(contribution.project)
            _event(events.ContributionVoted, actor=voter, project=contribution.project,
                   subject_user=contribution.author, contribution=contribution.pk)
    except IntegrityError:
        raise ValidationError(gettext("You have already voted for this contribution.")) from None


def contribution_unvote(*, voter, contribution: Contribution) -> bool:
    _voting_check(contribution)
    with transaction.atomic():
        deleted, _ = ContributionVote.objects.filter(contribution=contribution,
                                                     voter=voter).delete()
        if deleted:
            Contribution.objects.filter(pk=contribution.pk).update(
                vote_count=F("vote_count") - 1)
            _event(events.ContributionUnvoted, actor=voter, project=contribution.project,
                   subject_user=contribution.author, contribution=contribution.pk)
    return bool(deleted)


def winner_confirm(*, actor, contribution: Contribution) -> None:
    """The vote picks, a host confirms: only a top-voted contribution (ties share the win),
    only once voting has closed."""
    permissions.require(permissions.can_confirm_winner(actor),
                        gettext("Only a host confirms the winners."))
    project = contribution.project
    if not project.voting_closed():
        raise ValidationError(gettext("Voting is still open: set a closing date and wait for it."))
    with transaction.atomic():
        contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if contribution.is_winner:
            raise ValidationError(gettext("This contribution is already confirmed as a winner."))
        top = project.contributions.aggregate(top=Max("vote_count"))["top"] or 0
        if contribution.vote_count == 0 or contribution.vote_count < top:
            raise ValidationError(
                ngettext("The vote decides: this contribution has %(vote_count)s vote, the most "
                         "has %(top)s.",
                         "The vote decides: this contribution has %(vote_count)s votes, the most "
                         "has %(top)s.",
                         contribution.vote_count) % {"vote_count": contribution.vote_count,
                                                     "top": top})
        contribution.is_winner = True
        contribution.confirmed_by = actor
        contribution.confirmed_at = timezone.now()
        contribution.save(update_fields=["is_winner", "confirmed_by", "confirmed_at"])
        _touch(project)
        notify = sorted(set(_followers(project)) | ({contribution.author_id}
                                                    if contribution.author_id else set()))
        _event(events.ContributionWon, actor=actor, project=project,
               subject_user=contribution.author, contribution=contribution.pk, notify=notify,
               message=(gettext("“%(title)s” won the community vote on “%(title2)s”")
                        % {"title": contribution.title, "title2": project.title}))
