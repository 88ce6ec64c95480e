"""The event kinds of shared purpose: projects, pledges and contributions.

Registered from ``PurposeConfig.ready()``; recorded by ``purpose.services`` with each kind's
``record``. Project ids are in the payload (the row's columns are for threads and posts).
"""
from community.engine.events import Addressed, Payload, declare
from community.models import EngagementEvent, Notification

Kind = EngagementEvent.Kind
PROJECT = Notification.Kind.PROJECT


@declare(Kind.PROJECT_PROPOSED, ids=("actor",))
class ProjectProposed(Payload):
    project: int
    status: str  # Project.Status the proposal starts in
    organisation: int | None = None  # the partner organisation it is credited to


@declare(Kind.PROJECT_STATUS, ids=("actor",), notice=PROJECT)
class ProjectStatus(Addressed):
    project: int
    to_status: str
    from_status: str


@declare(Kind.PROJECT_JOINED, ids=("actor",))
class ProjectJoined(Payload):
    project: int


@declare(Kind.PROJECT_LEFT, ids=("actor",))
class ProjectLeft(Payload):
    project: int


@declare(Kind.PLEDGED, ids=("actor",))
class Pledged(Payload):
    project: int
    need: int


@declare(Kind.PLEDGE_WITHDRAWN, ids=("actor",))
class PledgeWithdrawn(Payload):
    project: int
    need: int


@declare(Kind.PROJECT_UPDATE, ids=("actor",), notice=PROJECT)
class ProjectUpdate(Addressed):
    project: int
    update: int


@declare(Kind.CONTRIBUTED, ids=("actor",))
class Contributed(Payload):
    project: int
    contribution: int
    contribution_kind: str


@declare(Kind.CONTRIBUTION_VOTED, ids=("actor", "subject_user"))
class ContributionVoted(Payload):
    project: int
    contribution: int


@declare(Kind.CONTRIBUTION_UNVOTED, ids=("actor", "subject_user"))
class ContributionUnvoted(Payload):
    project: int
    contribution: int


@declare(Kind.CONTRIBUTION_WON, ids=("actor", "subject_user"), notice=PROJECT)
class ContributionWon(Addressed):
    project: int
    contribution: int


@declare(Kind.PURPOSE_REVISED, ids=("actor",))
class PurposeRevised(Payload):
    revision: int


@declare(Kind.PROJECT_EDITED, ids=("actor", "subject_user"))
class ProjectEdited(Payload):
    """A project's details, a member's role, its needs or its voting changed."""

    project: int
    what: str  # details, role, needs or voting


@declare(Kind.CONTRIBUTION_EDITED, ids=("actor",))
class ContributionEdited(Payload):
    project: int
    contribution: int


KINDS = (PurposeRevised, ProjectEdited, ContributionEdited, ProjectProposed, ProjectStatus,
         ProjectJoined, ProjectLeft, Pledged, PledgeWithdrawn, ProjectUpdate, Contributed,
         ContributionVoted, ContributionUnvoted, ContributionWon)
