"""Moments made with a partner: the partners app's side of ``community.moment_ties``.

A host ties a moment to a verified partner organisation (from the moment's form); the tie
is an :class:`~partners.models.OrganisationMoment` row and an ``organisation_moment`` event,
whose row in the stale table names the organisation and the moment's thread, so the moment's
page and the partner's page show it at once. :data:`PROVIDER` is registered from
``PartnersConfig.ready()``.
"""
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from community import moment_ties, permissions
from community.services.moments import HOST_REFUSAL

from . import events
from .models import Organisation, OrganisationMoment

CHOICES_MAX = 200


def choices(moment=None) -> list[tuple[int, str]]:
    """Verified partners a host may tie ``moment`` to, and the one it is tied to (one
    query)."""
    tieable = Q(status=Organisation.Status.VERIFIED)
    if moment is not None and moment.pk:
        tieable |= Q(moment_ties__moment=moment)
    return list(Organisation.objects.filter(tieable).order_by("name", "pk")
                .values_list("pk", "name")[:CHOICES_MAX])


def tie_of(moment) -> moment_ties.Tie | None:
    """The line on the moment's page: "With our partner <name>" (one query)."""
    tie = OrganisationMoment.objects.filter(moment=moment).select_related("organisation").first()
    if tie is None:
        return None
    organisation = tie.organisation
    return moment_ties.Tie(key="partner", pk=organisation.pk, words=gettext("With our partner"),
                           name=organisation.name, url=organisation.get_absolute_url())


def moment_tie(*, host, moment, pk: int) -> bool:
    """Tie ``moment`` to the organisation ``pk`` (instead of any other); False when it was
    already."""
    permissions.require(permissions.can_host_moment(host, moment), HOST_REFUSAL)
    organisation = Organisation.objects.get(pk=pk)
    with transaction.atomic():
        current = OrganisationMoment.objects.select_for_update().filter(moment=moment).first()
        if current is not None and current.organisation_id == organisation.pk:
            return False
        if current is not None:
            _untie(host, moment, current)
        OrganisationMoment.objects.create(organisation=organisation, moment=moment,
                                          tied_by=host)
        events.OrganisationMomentTied.record(actor=host, thread=moment.thread_id,
                                             organisation=organisation.pk, moment=moment.pk,
                                             tied=True)
    return True


def moment_untie(*, host, moment) -> bool:
    """``moment`` is no longer made with a partner; False when it was not."""
    permissions.require(permissions.can_host_moment(host, moment), HOST_REFUSAL)
    with transaction.atomic():
        current = OrganisationMoment.objects.select_for_update().filter(moment=moment).first()
        if current is None:
            return False
        _untie(host, moment, current)
    return True


def _untie(host, moment, tie: OrganisationMoment) -> None:
    tie.delete()
    events.OrganisationMomentTied.record(actor=host, thread=moment.thread_id,
                                         organisation=tie.organisation_id, moment=moment.pk,
                                         tied=False)


PROVIDER = moment_ties.Provider(key="partner", group="Partners", choices=choices,
                                tie_of=tie_of, tie=moment_tie, untie=moment_untie)
