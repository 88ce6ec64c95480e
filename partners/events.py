"""The event kinds of partner organisations: applications, members, co-created content.

The kinds (:class:`Kind`, the values stored in ``EngagementEvent.kind``), the notice they
make (:class:`Notice`) and their payloads are registered from ``PartnersConfig.ready()``;
recorded by ``partners.services`` with each kind's ``record``.
"""
from django.db import models
from django.utils.translation import gettext_lazy

from community.engine.events import Addressed, Payload, declare


class Kind(models.TextChoices):
    """The partners app's event kinds."""

    PARTNER_APPLIED = "partner_applied", gettext_lazy("Organisation applied to be a partner")
    PARTNER_DECIDED = "partner_decided", gettext_lazy("Partner application verified or declined")
    ORGANISATION_EDITED = "organisation_edited", gettext_lazy("Partner organisation's page edited")
    PARTNER_JOINED = "partner_joined", gettext_lazy("Joined a partner organisation")
    PARTNER_LEFT = "partner_left", gettext_lazy("Left or removed from a partner organisation")
    PARTNER_PUBLISHED = "partner_published", gettext_lazy("Partner content published")
    COAUTHOR_INVITED = "coauthor_invited", gettext_lazy("Invited to co-author partner content")
    COAUTHOR_ACCEPTED = "coauthor_accepted", gettext_lazy("Co-authorship accepted")
    ORGANISATION_MOMENT = "organisation_moment", gettext_lazy(
        "Moment tied to or untied from a partner")
    OFFER_CREATED = "offer_created", gettext_lazy("Partner offer created")
    OFFER_APPROVED = "offer_approved", gettext_lazy("Partner offer approved by a host")
    OFFER_CLICKED = "offer_clicked", gettext_lazy("Partner offer followed")
    OFFER_WITHDRAWN = "offer_withdrawn", gettext_lazy("Partner offer withdrawn or put back")
    OFFER_EDITED = "offer_edited", gettext_lazy("Partner offer changed")


class Notice(models.TextChoices):
    """The notification partner events make (``Notification.kind``); it reads as the
    sentence the service wrote, and is emailed."""

    PARTNER = "partner", gettext_lazy("News from a partner you work with")


PARTNER = Notice.PARTNER


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


@declare(Kind.ORGANISATION_MOMENT, ids=("actor", "thread"))
class OrganisationMomentTied(Payload):
    """A host tied a moment (its thread: the moment's page) to a partner, or untied it."""

    organisation: int
    moment: int
    tied: bool


@declare(Kind.OFFER_CREATED, ids=("actor",))
class OfferCreated(Payload):
    organisation: int
    product: int
    offer: int
    held: bool = False  # waits for a host's approval


@declare(Kind.OFFER_APPROVED, ids=("actor",))
class OfferApproved(Payload):
    organisation: int
    product: int
    offer: int


@declare(Kind.OFFER_CLICKED, ids=("actor",), strategy="commerce")
class OfferClicked(Payload):
    """A visitor followed the offer's link (``actor``: the member, or none for a visitor)."""

    organisation: int
    product: int
    offer: int


@declare(Kind.OFFER_EDITED, ids=("actor",))
class OfferEdited(Payload):
    organisation: int
    product: int
    offer: int
    held: bool = False  # waits for a host's approval again


@declare(Kind.OFFER_WITHDRAWN, ids=("actor",))
class OfferWithdrawn(Payload):
    """The offer's partner or a host took it off the product's page before its end, or put
    it back (``withdrawn`` False: the undo)."""

    organisation: int
    product: int
    offer: int
    withdrawn: bool


KINDS = (OrganisationMomentTied, OrganisationEdited, PartnerApplied, PartnerDecided,
         PartnerJoined, PartnerLeft, PartnerPublished, CoauthorInvited, CoauthorAccepted,
         OfferCreated, OfferApproved, OfferClicked, OfferWithdrawn, OfferEdited)
