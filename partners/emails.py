"""The email a partner's admin sends a colleague."""
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community.emails import absolute, language_of, send_templated

from .models import PartnerInvitation


def invitation_email_send(*, invitation_id: int) -> bool:
    """Send once: the row is locked and marked, a redelivered task sends nothing."""
    from .services import invitation_token

    with transaction.atomic():
        invitation = (PartnerInvitation.objects.select_for_update(of=("self",))
                      .select_related("organisation", "invited_by")
                      .filter(pk=invitation_id, emailed_at__isnull=True).first())
        if invitation is None:
            return False
        url = absolute(reverse("partners:invitation", args=[invitation_token(invitation)]))
        send_templated(to=invitation.email, template="partner_invitation", context={
            "invitation": invitation, "organisation": invitation.organisation,
            "inviter": invitation.invited_by, "accept_url": url,
            "max_age_days": settings.INVITE_MAX_AGE_DAYS},
            language=language_of(invitation.invited_by))
        PartnerInvitation.objects.filter(pk=invitation.pk).update(emailed_at=timezone.now())
    return True

