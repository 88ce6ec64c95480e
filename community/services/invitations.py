"""Invitations: sending them, resolving a token, and recording who joined through one."""
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from community import permissions
from community.engine import events
from community.engine.enqueue import enqueue
from community.models import Invitation, User


class InvalidInvitation(Exception):
    """The token is forged, expired or used up; ``str(exc)`` is the sentence to show."""


@dataclass(frozen=True)
class SendResult:
    """What the member is told: how many addresses were invited now, and which ones they
    had invited recently already. Whether an address belongs to an account is not told."""

    sent: list[str]
    already_invited: list[str]


def invitation_link_get(*, inviter: User) -> Invitation:
    """The member's personal, reusable invite link (created on first use)."""
    invitation, _ = Invitation.objects.get_or_create(inviter=inviter, kind=Invitation.Kind.LINK)
    return invitation


def _with_accounts(emails: list[str]) -> set[str]:
    """Those of ``emails`` (lower-cased) that an account signs in with or has added."""
    from allauth.account.models import EmailAddress
    from django.db.models.functions import Lower

    found = set(User.objects.annotate(address=Lower("email")).filter(
        address__in=emails).values_list("address", flat=True))
    found.update(EmailAddress.objects.annotate(address=Lower("email")).filter(
        address__in=emails).values_list("address", flat=True))
    return found


def invitations_send(*, inviter: User, emails: list[str], message: str = "") -> SendResult:
    """Create one single-use invitation per address and queue the emails after commit.

    Addresses this member invited less than the invitation's lifetime ago are reported
    instead of mailed again: a form posted twice sends once. An address that already has
    an account is treated like any other in what the member sees (the invitation is listed
    as waiting, and counts towards their limit) but is sent no mail: the form tells nobody
    who has an account, and mails nobody who already has one. Raises ``ValidationError``
    at a limit (``limits.check_invitations``: invitations a day, the note's words and
    links) and 403 for a member who may not invite (suspended).
    """
    from community.content import limits

    permissions.require(permissions.can_invite(inviter), permissions.why_not(inviter))
    emails = list(dict.fromkeys(email.strip().lower() for email in emails))
    existing = _with_accounts(emails)
    with transaction.atomic():
        # Serialise one member's concurrent submissions (a double click sends two requests,
        # a script many): the day's count below sees every invitation sent before.
        User.objects.select_for_update().filter(pk=inviter.pk).values_list("pk").first()
        fresh_since = timezone.now() - timedelta(days=settings.INVITE_MAX_AGE_DAYS)
        pending = set(
            Invitation.objects.filter(
                inviter=inviter, kind=Invitation.Kind.EMAIL, email__in=emails,
                accepted_at__isnull=True, created_at__gte=fresh_since,
            ).values_list("email", flat=True)
        )
        sent = [email for email in emails if email not in pending]
        if sent:
            limits.check_invitations(inviter, count=len(sent), message=message)
        invitations = [
            Invitation.objects.create(
                inviter=inviter, kind=Invitation.Kind.EMAIL, email=email, message=message
            )
            for email in sent
        ]
        for invitation in invitations:
            mailed = invitation.email not in existing
            events.InviteSent.record(actor=inviter, invitation=invitation.pk, mailed=mailed)
            if mailed:
                enqueue("community.send_invitation_email", invitation.pk)
    return SendResult(sent=sent, already_invited=sorted(pending))


def invitation_resolve(token: str) -> Invitation:
    """Return the invitation behind ``token`` or raise :class:`InvalidInvitation`."""
    max_age = timedelta(days=settings.INVITE_MAX_AGE_DAYS)
    try:
        data = signing.loads(token, salt="community.invitation", max_age=max_age)
    except signing.SignatureExpired as exc:
        raise InvalidInvitation(
            gettext("This invitation has expired. Ask your friend to send you a new one.")
        ) from exc
    except signing.BadSignature as exc:
        raise InvalidInvitation(
            gettext("This invitation link is not valid. Check that you copied the whole link.")
        ) from exc
    invitation = (
        Invitation.objects.select_related("inviter").filter(pk=data.get("i")).first()
    )
    if invitation is None or invitation.inviter is None:
        raise InvalidInvitation(gettext("This invitation no longer exists."))
    if invitation.single_use and invitation.accepted_at is not None:
        raise InvalidInvitation(
            gettext("This invitation has already been used. You can still sign up without it.")
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
        events.InviteJoined.record(actor=user, subject_user=invitation.inviter,
                                   invitation=invitation.pk)
    return True
