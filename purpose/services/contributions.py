"""Writes of contributions: the voting's close, submitting, editing, votes and the
winner's confirmation."""
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from community import permissions
from community.services import drafts as community_drafts

from .. import drafts, events
from ..models import Contribution, ContributionVote, Project
from .common import followers, html_of, record, touch

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
        record(events.ProjectEdited, actor=actor, project=project, what="voting")


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
                                    body_html=html_of(body, author) if body.strip() else "")
        if image:
            contribution.image = image
        contribution.save()
        touch(project, contribution_count=1)
        record(events.Contributed, actor=author, project=project,
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
    body_html = html_of(body, actor, contribution.body) if body.strip() else ""
    contribution.title, contribution.body = title.strip(), body.strip()
    contribution.body_html = body_html
    if image:
        contribution.image = image
    contribution.updated_at = timezone.now()
    with transaction.atomic():
        contribution.save(update_fields=["title", "body", "body_html", "image", "updated_at"])
        record(events.ContributionEdited, actor=actor, project=contribution.project,
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
            touch(contribution.project)
            record(events.ContributionVoted, actor=voter, project=contribution.project,
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
            record(events.ContributionUnvoted, actor=voter, project=contribution.project,
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
        touch(project)
        notify = sorted(set(followers(project)) | ({contribution.author_id}
                                                    if contribution.author_id else set()))
        record(events.ContributionWon, actor=actor, project=project,
               subject_user=contribution.author, contribution=contribution.pk, notify=notify,
               message=(gettext("“%(title)s” won the community vote on “%(title2)s”")
                        % {"title": contribution.title, "title2": project.title}))
