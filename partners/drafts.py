"""The place a partner writes co-created content in, for the composer's drafts
(``community.services.drafts``): ``publish:<organisation>``, registered from
``PartnersConfig.ready()``. Only the organisation's own people may keep a draft there; the
publishing service discards it.
"""
from django.http import Http404
from django.utils.translation import gettext

from community import permissions

from .models import Organisation


def publish_place(organisation) -> str:
    return f"publish:{organisation.pk}"


def may_publish(member, key: str) -> str | None:
    organisation = Organisation.objects.filter(pk=int(key)).first()
    if organisation is None or not permissions.can_view_organisation(member, organisation):
        raise Http404(gettext("No such partner."))
    if not permissions.can_take_part(member):
        return permissions.why_not(member)
    if organisation.pk in member.partner_roles and not organisation.is_verified:
        from .services import UNVERIFIED

        return UNVERIFIED
    if not permissions.can_publish_partner(member, organisation):
        return gettext("Only this organisation's people publish for it.")
    return None
