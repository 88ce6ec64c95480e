"""Signal receivers, connected once from ``CommunityConfig.ready``."""
from allauth.account.signals import email_confirmed, user_logged_in, user_signed_up
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from community.commerce import ownership
from community.engine import events

from . import pages
from .identity import saml
from .models import CommunitySettings, Space, Tag
from .services.invitations import invitation_accept, invitation_link_get

INVITATION_SESSION_KEY = "community_invitation"


@receiver(user_signed_up, dispatch_uid="community.member_joined")
def member_joined(sender, request, user, **kwargs):
    with transaction.atomic():
        events.MemberJoined.record(actor=user)
        invitation_link_get(inviter=user)  # ready on the invite page from the first day
        invitation_id = request.session.pop(INVITATION_SESSION_KEY, None) if request else None
        if invitation_id:
            invitation_accept(invitation_id=invitation_id, user=user)
        # An address that arrives verified (a provider's sign-in) brings its purchases.
        ownership.pending_claim_verified(member=user)


# A company's sign-in (SAML) says at every sign-in whether the member is a staff host.
user_logged_in.connect(saml.sync_host_role, dispatch_uid="community.saml_host_role")


@receiver(email_confirmed, dispatch_uid="community.email_confirmed_ownership")
def address_confirmed(sender, request, email_address, **kwargs):
    """A confirmed address brings the purchases that waited for it: verified ownerships."""
    ownership.pending_claim(member=email_address.user, email=email_address.email)


@receiver(post_save, sender=Space, dispatch_uid="community.space_saved_pages")
@receiver(post_delete, sender=Space, dispatch_uid="community.space_deleted_pages")
@receiver(post_save, sender=CommunitySettings, dispatch_uid="community.settings_pages")
@receiver(post_save, sender=Tag, dispatch_uid="community.tag_saved_pages")
@receiver(post_delete, sender=Tag, dispatch_uid="community.tag_deleted_pages")
def site_changed(sender, **kwargs):
    """Spaces and settings show on every page, and a tag's description on its page: cached
    pages are rendered again.

    Not a row of ``community.pages.invalidation``: spaces, settings and tags' descriptions
    are edited in the Django admin, by saving models, with no service and so no event to
    hang the row on."""
    pages.invalidate_with_commit("site")


@receiver(user_logged_out, dispatch_uid="community.push_signed_out")
def push_devices_signed_out(sender, request, user, **kwargs):
    """Signing out of a browser turns off the push it turned on (``services.push``)."""
    from community.services import push

    if request is not None:
        push.session_signed_out(request=request, user=user)
