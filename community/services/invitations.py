"""Invitations: sending them, resolving a token, and recording who joined through one."""
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from community import permissions
from community.models import EngagementEvent, Invitation, User
from community.queue import enqueue

from .events import event_record


class InvalidInvitation(Exception):
    """The token is forged, expired or used up; ``str(exc)`` is the sentence to show."""


@dataclass(frozen=True)
class SendResult:
    sent: list[str]
    already_members: list[str]
    already_invited: list[str]


def invitation_link_get(*, inviter: User) -> Invitation:
    """The member's personal, reusable invite link (created on first use)."""
    invitation, _ = Invitation.objects.get_or_create(inviter=inviter, kind=Invitation.Kind.LINK)
    return invitation


def invitations_send(*, inviter: User, emails: list[str], message: str = "") -> SendResult:
    """Create one single-use invitation per address and queue the emails after commit.

    Addresses of members, and addresses this member invited less than the invitation's
    lifetime ago, are reported instead of mailed again: a form posted twice sends once.
    """
    from community import tasks

    permissions.require(permissions.can_invite(inviter), "Sign in to invite friends.")
    existing = set(
        User.objects.filter(email__in=emails).values_list("email", flat=True)
    )
    with transaction.atomic():
        # Serialise one member's concurrent submissions (a double click sends two requests).
        User.objects.select_for_update().filter(pk=inviter.pk).values_list("pk").first()
        fresh_since = timezone.now() - timedelta(days=settings.INVITE_MAX_AGE_DAYS)
        pending = set(
            Invitation.objects.filter(
                inviter=inviter, kind=Invitation.Kind.EMAIL, email__in=emails,
                accepted_at__isnull=True, created_at__gte=fresh_since,
            ).values_list("email", flat=True)
        )
        sent = [email for email in emails if email not in existing and email not in pending]
        invitations = [
            Invitation.objects.create(
                inviter=inviter, kind=Invitation.Kind.EMAIL, email=email, message=message
            )
            for email in sent
        ]
        for invitation in invitations:
            event_record(
                kind=EngagementEvent.Kind.INVITE_SENT,
                actor=inviter,
                payload={"invitation": invitation.pk},
            )
            enqueue(tasks.send_invitation_email, invitation.pk)
    return SendResult(
        sent=sent, already_members=sorted(existing), already_invited=sorted(pending)
    )


def invitation_resolve(token: str) -> Invitation:
    """Return the invitation behind ``token`` or raise :class:`InvalidInvitation`."""
    max_age = timedelta(days=settings.INVITE_MAX_AGE_DAYS)
    try:
        data = signing.loads(token, salt="community.invitation", max_age=max_age)
    except signing.SignatureExpired as exc:
        raise InvalidInvitation(
            "This invitation has expired. Ask your friend to send you a new one."
        ) from exc
    except signing.BadSignature as exc:
        raise InvalidInvitation(
            "This invitation link is not valid. Check that you copied the whole link."
        ) from exc
    invitation = (
        Invitation.objects.select_related("inviter").filter(pk=data.get("i")).first()
    )
    if invitation is None or invitation.inviter is None:
        raise InvalidInvitation("This invitation no longer exists.")
    if invitation.single_use and invitation.accepted_at is not None:
        raise InvalidInvitation(
            "This invitation has already been used. You can still sign up without it."
        )
    return invitation


def invitation_accept(*, invitation_id: int, user: User) -> bool:
    """Record that ``user`` joined through the invitation. Returns False if it cannot count."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().filter(pk=invitation_id).first()
        )
        if invitation is None or invitation.inviter_id is None or invitation.inviter_id == user.pk:
            return False
        if invitation.single_use and invitation.accepted_at is not None:
            return False
        if user.invited_by_id is not None:
            return False
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        user.invited_by_id = invitation.inviter_id
        user.invitation = invitation
        user.save(update_fields=["invited_by", "invitation"])
        event_record(
            kind=EngagementEvent.Kind.INVITE_JOINED,
            actor=user,
            subject_user=invitation.inviter,
            payload={"invitation": invitation.pk},
        )
    return True
