"""Signal receivers, connected once from ``CommunityConfig.ready``."""
from allauth.account.signals import user_signed_up
from django.db import transaction
from django.dispatch import receiver

from .models import EngagementEvent
from .services.events import event_record
from .services.invitations import invitation_accept

INVITATION_SESSION_KEY = "community_invitation"


@receiver(user_signed_up, dispatch_uid="community.member_joined")
def member_joined(sender, request, user, **kwargs):
    with transaction.atomic():
        event_record(kind=EngagementEvent.Kind.MEMBER_JOINED, actor=user)
        invitation_id = request.session.pop(INVITATION_SESSION_KEY, None) if request else None
        if invitation_id:
            invitation_accept(invitation_id=invitation_id, user=user)
