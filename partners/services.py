"""Writes of the partners app: applying, deciding, people, co-created content, co-authors.

Each function checks permission (403 with the reason) or the rule (``ValidationError`` with
the sentence to show), writes in one transaction and appends the ``EngagementEvent``.
"""
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from community import permissions
from community.engine.enqueue import enqueue
from community.models import CommunitySettings, Space, User
from community.services import conversations
from purpose.models import Project, ProjectThread

from . import drafts, events
from .models import CoAuthor, Organisation, PartnerInvitation, PartnerMembership, PartnerPost

INVITATION_SALT = "partners.invitation"
HELD_FOR_APPROVAL = gettext_lazy("Partner content waits for a host's approval (site setting).")
UNVERIFIED = gettext_lazy("Your organisation is not verified yet: a host must verify it before "
                          "you publish.")


class InvalidInvitation(Exception):
    """The link is forged, expired, used or meant for someone else; ``str(exc)`` says so."""


def _admins(organisation: Organisation) -> list[int]:
    return list(organisation.memberships.filter(is_admin=True).order_by("user_id")
                .values_list("user_id", flat=True))


# Organisations ------------------------------------------------------------------------

def name_taken(name: str, *, exclude_pk: int | None = None) -> bool:
    return Organisation.objects.filter(name__iexact=name.strip()).exclude(pk=exclude_pk).exists()


def organisation_apply(*, user, name: str, description: str, website: str = "",
                       links: str = "", note: str = "", logo=None) -> Organisation:
    """An organisation applies; the applicant is its first admin. A host decides."""
    permissions.require(permissions.can_apply_partner(user), permissions.why_not(user))
    if name_taken(name):
        raise ValidationError(gettext("An organisation with this name already exists."))
    try:
        with transaction.atomic():
            organisation = Organisation(
                name=name.strip(), description=description.strip(), website=website,
                links=links.strip(), application_note=note.strip(), applied_by=user)
            if logo:
                organisation.logo = logo
            organisation.save()
            PartnerMembership.objects.create(organisation=organisation, user=user,
                                             is_admin=True)
            events.PartnerApplied.record(actor=user, organisation=organisation.pk)
    except IntegrityError:  # the same name applied for at the same moment
        raise ValidationError(gettext("An organisation with this name already exists.")) from None
    return organisation


def organisation_decide(*, actor, organisation: Organisation, verify: bool,
                        reason: str = "") -> None:
    """A host verifies an organisation or declines it with a reason its admins read."""
    permissions.require(permissions.can_review_partners(actor),
                        gettext("Only a host verifies partner organisations."))
    if not verify and not reason.strip():
        raise ValidationError(
            gettext("Say why the application is declined: the applicant reads it."))
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        organisation.status = (Organisation.Status.VERIFIED if verify
                               else Organisation.Status.DECLINED)
        organisation.decline_reason = "" if verify else reason.strip()[:500]
        organisation.decided_by, organisation.decided_at = actor, timezone.now()
        organisation.save(update_fields=["status", "decline_reason", "decided_by",
                                          "decided_at"])
        message = ((gettext("%(name)s is a verified partner: you can publish and invite "
                            "colleagues now.") % {"name": organisation.name}) if verify else
                   (gettext("The application of %(name)s was declined: %(decline_reason)s")
                    % {"name": organisation.name, "decline_reason": organisation.decline_reason}))
        events.PartnerDecided.record(actor=actor, organisation=organisation.pk, verified=verify,
                                     notify=_admins(organisation), message=message,
                                     url=organisation.get_absolute_url())


def organisation_edit(*, actor, organisation: Organisation, description: str, website: str,
                      links: str, logo=None, remove_logo: bool = False) -> None:
    permissions.require(permissions.can_manage_organisation(actor, organisation),
                        gettext("Only this organisation's admins edit its page."))
    organisation.description, organisation.website = description.strip(), website
    organisation.links = links.strip()
    if logo:
        organisation.logo = logo
    elif remove_logo:
        organisation.logo = ""
    with transaction.atomic():
        organisation.save(update_fields=["description", "website", "links", "logo"])
        events.OrganisationEdited.record(actor=actor, organisation=organisation.pk, what="page")


# People -------------------------------------------------------------------------------

def invitation_token(invitation: PartnerInvitation) -> str:
    return signing.dumps({"i": invitation.pk}, salt=INVITATION_SALT)


def invitation_send(*, actor, organisation: Organisation, email: str) -> PartnerInvitation:
    """An admin invites a colleague by email (a signed link, valid for the invite period)."""
    permissions.require(permissions.can_manage_organisation(actor, organisation),
                        gettext("Only this organisation's admins invite colleagues."))
    if not organisation.is_verified:
        raise ValidationError(gettext("A host must verify the organisation before you invite "
                              "colleagues."))
    email = email.strip().lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError(gettext("That person is already in your organisation."))
    with transaction.atomic():
        invitation = PartnerInvitation.objects.create(organisation=organisation, email=email,
                                                      invited_by=actor)
        enqueue("partners.send_partner_invitation", invitation.pk)
    return invitation


def invitation_resolve(token: str, *, user=None) -> PartnerInvitation:
    max_age = timedelta(days=settings.INVITE_MAX_AGE_DAYS)
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise InvalidInvitation(gettext("This invitation has expired: ask your colleague for a new "
                                "one.")) from exc
    except signing.BadSignature as exc:
        raise InvalidInvitation(gettext("This invitation link is not valid. Check that you copied "
                                "the whole link.")) from exc
    invitation = (PartnerInvitation.objects.select_related("organisation", "invited_by")
                  .filter(pk=data.get("i")).first())
    if invitation is None:
        raise InvalidInvitation(gettext("This invitation no longer exists."))
    if invitation.accepted_at is not None:
        raise InvalidInvitation(gettext("This invitation has already been used."))
    if invitation.organisation.status != Organisation.Status.VERIFIED:
        raise InvalidInvitation(gettext("This organisation is not a verified partner."))
    if user is not None and permissions.is_member(user) and not owns_email(user,
                                                                           invitation.email):
        raise InvalidInvitation(gettext("This invitation was sent to another email address: sign "
                                        "in "
                                "with the address it was sent to."))
    return invitation


def owns_email(user, email: str) -> bool:
    from allauth.account.models import EmailAddress

    return (user.email or "").lower() == email.lower() or EmailAddress.objects.filter(
        user=user, email__iexact=email, verified=True).exists()


def invitation_accept(*, user, token: str) -> PartnerMembership:
    permissions.require(permissions.can_take_part(user), permissions.why_not(user))
    invitation = invitation_resolve(token, user=user)
    with transaction.atomic():
        invitation = PartnerInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvalidInvitation(gettext("This invitation has already been used."))
        membership, _ = PartnerMembership.objects.get_or_create(
            organisation=invitation.organisation, user=user,
            defaults={"invited_by": invitation.invited_by})
        invitation.accepted_at, invitation.accepted_by = timezone.now(), user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        events.PartnerJoined.record(actor=user, organisation=invitation.organisation_id,
                                    notify=_admins(invitation.organisation),
                                    message=(gettext("%(name)s joined %(name2)s")
                                             % {"name": user.name,
                                                "name2": invitation.organisation.name}),
                                    url=invitation.organisation.get_absolute_url())
    user.__dict__.pop("partner_roles", None)
    return membership


def membership_remove(*, actor, organisation: Organisation, member) -> None:
    """An admin removes a colleague, a host removes anyone, a member leaves. The role goes
    with the row: the member's next request no longer has it."""
    leaving = getattr(actor, "pk", None) == member.pk
    permissions.require(
        leaving or permissions.can_manage_organisation(actor, organisation)
        or permissions.can_review_partners(actor),
        gettext("Only this organisation's admins remove its people."))
    with transaction.atomic():
        membership = (PartnerMembership.objects.select_for_update()
                      .filter(organisation=organisation, user=member).first())
        if membership is None:
            raise ValidationError(gettext("%(name)s is not in %(name2)s.") % {"name": member.name,
                    "name2": organisation.name})
        others = organisation.memberships.filter(is_admin=True).exclude(pk=membership.pk)
        if membership.is_admin and not others.exists() and not permissions.is_staff_host(actor):
            raise ValidationError(gettext("An organisation needs an admin: make a colleague admin "
                                  "first."))
        membership.delete()
        events.PartnerLeft.record(actor=actor, subject_user=member,
                                  organisation=organisation.pk)


def membership_admin_set(*, actor, organisation: Organisation, member) -> None:
    permissions.require(permissions.can_manage_organisation(actor, organisation),
                        gettext("Only this organisation's admins choose its admins."))
    with transaction.atomic():
        updated = PartnerMembership.objects.filter(organisation=organisation,
                                                   user=member).update(is_admin=True)
        if not updated:
            raise ValidationError(gettext("%(name)s is not in %(name2)s.") % {"name": member.name,
                    "name2": organisation.name})
        events.OrganisationEdited.record(actor=actor, subject_user=member,
                                         organisation=organisation.pk, what="admin")


# Co-created content -------------------------------------------------------------------

def coauthors_resolve(handles: list[str], *, author) -> list[User]:
    """Members for typed @handles; names that are not members are refused, by name."""
    wanted = {h.strip().lstrip("@").lower() for h in handles if h.strip().lstrip("@")}
    found = {u.handle: u for u in User.objects.annotate(handle=Lower("username")).filter(
        handle__in=wanted, is_active=True, is_former_member=False, is_unclaimed=False)}
    missing = sorted(wanted - found.keys())
    if missing:
        raise ValidationError(gettext("Not members of the community: %(handles)s.")
                              % {"handles": ", ".join(f"@{h}" for h in missing)})
    return sorted((u for u in found.values() if u.pk != author.pk), key=lambda u: u.pk)


def awaits_verification(user, organisation: Organisation) -> bool:
    """One of the organisation's people, before a host has verified it."""
    return (permissions.can_take_part(user) and organisation.pk in user.partner_roles
            and not organisation.is_verified)


def partner_publish(*, author, organisation: Organisation, kind: str, title: str, body: str,
                    space: Space | None = None, project: Project | None = None,
                    coauthors: list[User] = ()) -> PartnerPost:
    """Publish co-created content as a thread credited to the organisation. Co-authors are
    invited (their names show once they accept); the site may hold it for a host first."""
    if awaits_verification(author, organisation):
        raise ValidationError(UNVERIFIED)
    permissions.require(permissions.can_publish_partner(author, organisation),
                        gettext("Only this organisation's people publish for it."))
    if project is not None:
        if project.status == Project.Status.PROPOSED:
            raise ValidationError(gettext("That project is not open yet."))
        space = project.space or space
    space = space or Space.objects.order_by("position", "pk").first()
    if space is None:
        raise ValidationError(gettext("Choose a space."))
    hold = HELD_FOR_APPROVAL if CommunitySettings.get().partner_posts_need_approval else ""
    with transaction.atomic():
        thread = conversations.thread_create(author=author, space=space, kind="discussion",
                                              title=title, body=body, hold=hold,
                                              draft_place=drafts.publish_place(organisation))
        post = PartnerPost.objects.create(organisation=organisation, thread=thread, kind=kind,
                                          project=project, created_by=author)
        if project is not None:
            ProjectThread.objects.create(project=project, thread=thread, linked_by=author)
        events.PartnerPublished.record(actor=author, thread=thread, organisation=organisation.pk,
                                       kind=kind, project=project.pk if project else None,
                                       held=bool(hold))
        for member in coauthors:
            invited = CoAuthor.objects.create(post=post, user=member)
            events.CoauthorInvited.record(
                actor=author, subject_user=member, thread=thread, organisation=organisation.pk,
                notify=[member.pk], url=invited.get_absolute_url(),
                message=(gettext("%(name)s invites you to co-author “%(title)s”")
                         % {"name": organisation.name, "title": thread.title}))
    return post


def coauthor_respond(*, user, coauthor: CoAuthor, accept: bool) -> None:
    permissions.require(permissions.is_member(user) and coauthor.user_id == user.pk,
                        gettext("This invitation is for someone else."))
    with transaction.atomic():
        coauthor = CoAuthor.objects.select_for_update().get(pk=coauthor.pk)
        if coauthor.accepted_at is not None:
            raise ValidationError(gettext("You already accepted: your name is on it."))
        if coauthor.declined_at is not None and not accept:
            raise ValidationError(gettext("You already declined this invitation."))
        if accept:
            coauthor.accepted_at, coauthor.declined_at = timezone.now(), None
            events.CoauthorAccepted.record(actor=user, thread=coauthor.post.thread_id,
                                           organisation=coauthor.post.organisation_id)
        else:
            coauthor.declined_at = timezone.now()
        coauthor.save(update_fields=["accepted_at", "declined_at"])
