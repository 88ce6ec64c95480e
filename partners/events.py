"""The event kinds of partner organisations: applications, members, co-created content.

Registered from ``PartnersConfig.ready()``; recorded by ``partners.services`` with each
kind's ``record``.
"""
from community.engine.events import Addressed, Payload, declare
from community.models import EngagementEvent, Notification

Kind = EngagementEvent.Kind
PARTNER = Notification.Kind.PARTNER


@declare(Kind.PARTNER_APPLIED, ids=("actor",))
class PartnerApplied(Payload):
    organisation: int


@declare(Kind.PARTNER_DECIDED, ids=("actor",), notice=PARTNER)
class PartnerDecided(Addressed):
    organisation: int
    verified: bool


@declare(Kind.PARTNER_JOINED, ids=("actor",), notice=PARTNER)
class PartnerJoined(Addressed):
    organisation: int


@declare(Kind.PARTNER_LEFT, ids=("actor", "subject_user"))
class PartnerLeft(Payload):
    organisation: int


@declare(Kind.PARTNER_PUBLISHED, ids=("actor", "thread"))
class PartnerPublished(Payload):
    organisation: int
    kind: str  # Thread.Kind
    project: int | None = None  # the project the content is linked to
    held: bool = False  # waits for a host's approval


@declare(Kind.COAUTHOR_INVITED, ids=("actor", "subject_user", "thread"), notice=PARTNER)
class CoauthorInvited(Addressed):
    organisation: int


@declare(Kind.COAUTHOR_ACCEPTED, ids=("actor", "thread"))
class CoauthorAccepted(Payload):
    organisation: int


@declare(Kind.ORGANISATION_EDITED, ids=("actor", "subject_user"))
class OrganisationEdited(Payload):
    """An organisation's page, or who administers it, changed."""

    organisation: int
    what: str  # page or admin


KINDS = (OrganisationEdited, PartnerApplied, PartnerDecided, PartnerJoined, PartnerLeft,
         PartnerPublished, CoauthorInvited, CoauthorAccepted)
