"""The event kinds of shared purpose: projects, pledges and contributions.

The kinds (:class:`Kind`, the values stored in ``EngagementEvent.kind``), the notice they
make (:class:`Notice`) and their payloads are registered from ``PurposeConfig.ready()``;
recorded by ``purpose.services`` with each kind's ``record``. Project ids are in the payload
(the row's columns are for threads and posts).
"""
from django.db import models
from django.utils.translation import gettext_lazy

from community.engine.events import Addressed, Payload, declare, optional


class Kind(models.TextChoices):
    """Shared purpose's event kinds: collaboration and contribution."""

    PURPOSE_REVISED = "purpose_revised", gettext_lazy("Shared purpose revised")
    PROJECT_EDITED = "project_edited", gettext_lazy(
        "Project details, roles, needs or voting changed")
    PROJECT_PROPOSED = "project_proposed", gettext_lazy("Project proposed")
    PROJECT_STATUS = "project_status", gettext_lazy("Project status changed")
    PROJECT_JOINED = "project_joined", gettext_lazy("Joined a project")
    PROJECT_LEFT = "project_left", gettext_lazy("Left a project")
    PLEDGED = "pledged", gettext_lazy("Pledged to a need")
    PLEDGE_WITHDRAWN = "pledge_withdrawn", gettext_lazy("Pledge withdrawn")
    PROJECT_UPDATE = "project_update", gettext_lazy("Project update posted")
    CONTRIBUTED = "contributed", gettext_lazy("Contribution submitted")
    CONTRIBUTION_EDITED = "contribution_edited", gettext_lazy("Contribution edited")
    CONTRIBUTION_VOTED = "contribution_voted", gettext_lazy("Voted for a contribution")
    CONTRIBUTION_UNVOTED = "contribution_unvoted", gettext_lazy("Vote for a contribution withdrawn")
    CONTRIBUTION_WON = "contribution_won", gettext_lazy("Contribution won")
    PROJECT_MOMENT = "project_moment", gettext_lazy("Moment tied to or untied from a project")


class Notice(models.TextChoices):
    """The notification shared purpose's events make (``Notification.kind``); it reads as
    the sentence the service wrote, and is emailed."""

    PROJECT = "project", gettext_lazy("News from a project you follow")


PROJECT = Notice.PROJECT


@declare(Kind.PROJECT_PROPOSED, ids=("actor",), strategy="contribution")
class ProjectProposed(Payload):
    project: int
    status: str  # Project.Status the proposal starts in
    organisation: int | None = None  # the partner organisation it is credited to


@declare(Kind.PROJECT_STATUS, ids=("actor",), notice=PROJECT)
class ProjectStatus(Addressed):
    project: int
    to_status: str
    from_status: str


@declare(Kind.PROJECT_JOINED, ids=("actor",), strategy="collaboration")
class ProjectJoined(Payload):
    project: int


@declare(Kind.PROJECT_LEFT, ids=("actor",))
class ProjectLeft(Payload):
    project: int


@declare(Kind.PLEDGED, ids=("actor",), strategy="collaboration")
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


@declare(Kind.CONTRIBUTED, ids=("actor",), strategy="contribution")
class Contributed(Payload):
    project: int
    contribution: int
    contribution_kind: str


@declare(Kind.CONTRIBUTION_VOTED, ids=("actor", "subject_user"), strategy="collaboration")
class ContributionVoted(Payload):
    project: int
    contribution: int


@declare(Kind.CONTRIBUTION_UNVOTED, ids=("actor", "subject_user"))
class ContributionUnvoted(Payload):
    project: int
    contribution: int


@declare(Kind.CONTRIBUTION_WON, ids=("actor", "subject_user"), strategy="contribution",
         notice=PROJECT)
class ContributionWon(Addressed):
    project: int
    contribution: int


@declare(Kind.PURPOSE_REVISED, ids=("actor",))
class PurposeRevised(Payload):
    revision: int


@declare(Kind.PROJECT_EDITED, ids=("actor", "subject_user", "threads"))
class ProjectEdited(Payload):
    """A project's details, a member's role, its needs or its voting changed (``threads``:
    the threads of the moments tied to it, whose pages name it, when its title changes)."""

    project: int
    what: str  # details, role, needs or voting


@declare(Kind.CONTRIBUTION_EDITED, ids=("actor",))
class ContributionEdited(Payload):
    project: int
    contribution: int


@declare(Kind.PROJECT_MOMENT, ids=("actor", "thread"))
class ProjectMomentTied(Payload):
    """A host tied a moment (its thread: the moment's page) to a project, or untied it."""

    project: int
    moment: int
    tied: bool
    organisation: int | None = optional()  # the project's partner, whose page lists it too


KINDS = (ProjectMomentTied, PurposeRevised, ProjectEdited, ContributionEdited, ProjectProposed,
         ProjectStatus, ProjectJoined, ProjectLeft, Pledged, PledgeWithdrawn, ProjectUpdate,
         Contributed, ContributionVoted, ContributionUnvoted, ContributionWon)
