"""Profile changes and account deletion."""
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import logout
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext

from community import emails, permissions
from community.engine import events, notice_settings
from community.identity import lookalikes
from community.models import User

# The handle of the shared account that keeps the posts of deleted accounts. Nobody can sign
# up with it: a handle is letters, digits and underscores (models.users.handle_validator).
# The account is found by its flag, never by this name (migration 0017 makes it).
FORMER_MEMBER_USERNAME = "former-member"


def former_member_get() -> User:
    """The shared account that keeps the posts of members who deleted their account.

    Found by ``is_former_member`` and the handle nobody can sign up with: an account that
    only has a similar handle is somebody else's, and the other flagged accounts are an
    import's placeholders, each keeping one deleted author's posts under their old name.
    It cannot sign in (inactive, no usable password, refused by the adapter)."""
    user = User.objects.filter(is_former_member=True,
                               username=FORMER_MEMBER_USERNAME).first()
    if user is None:
        user, created = User.objects.get_or_create(
            username=FORMER_MEMBER_USERNAME, is_former_member=True,
            defaults={"display_name": "Former member", "email": None, "is_active": False},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    return user


def _avatar_delete_on_commit(name: str) -> None:
    """Delete a stored avatar once the change that dropped it is committed (a rolled-back
    change keeps it)."""
    if name:
        storage = User._meta.get_field("avatar").storage
        transaction.on_commit(lambda: storage.delete(name))


def profile_update(*, actor: User, form) -> User:
    """Save a validated ProfileForm of ``actor``'s own profile.

    A replaced or removed avatar's file is deleted from storage after the commit."""
    permissions.require(permissions.can_edit_profile(actor, form.instance),
                        permissions.why_not_edit_profile(actor))
    with transaction.atomic():
        before = (User.objects.select_for_update().filter(pk=form.instance.pk)
                  .values_list("avatar", flat=True).get())
        user = form.save()
        events.ProfileUpdated.record(actor=user)
        if before != user.avatar.name:
            _avatar_delete_on_commit(before)
    return user


def host_role_set(*, member: User, is_host: bool) -> bool:
    """Make ``member`` a staff host or take it away, as their company's sign-in says
    (community/identity/saml.py); True when it changed.

    Their profile's team badge and the host links in their header change with it, so it
    is recorded as a profile change (the same pages go stale); posts keep the role they
    were written with. Admins keep hosting whatever it says."""
    with transaction.atomic():
        current = (User.objects.select_for_update().filter(pk=member.pk)
                   .values_list("is_host", flat=True).get())
        if current == is_host:
            return False
        User.objects.filter(pk=member.pk).update(is_host=is_host)
        member.is_host = is_host
        events.ProfileUpdated.record(actor=member)
    return True


def language_set(*, actor: User, language: str) -> bool:
    """Save the language ``actor`` reads the site in (one of ``settings.LANGUAGES``; ""
    follows the browser); False when it was already theirs."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError(gettext("Choose one of the site's languages."))
    if not actor.is_authenticated or actor.language == language:
        return False
    with transaction.atomic():
        User.objects.filter(pk=actor.pk).update(language=language)
        actor.language = language
        events.ProfileUpdated.record(actor=actor)
    return True


def answer_order_set(*, actor: User, order: str) -> bool:
    """Remember how ``actor`` reads a question's answers (``User.AnswerOrder``); False when
    that was already their order. Only their own pages change, under bodies kept by order,
    so the event makes nothing shared stale."""
    if order not in User.AnswerOrder.values:
        raise ValidationError(gettext("Choose most helpful, oldest first or newest first."))
    if not actor.is_authenticated or actor.answer_order == order:
        return False
    with transaction.atomic():
        User.objects.filter(pk=actor.pk).update(answer_order=order)
        actor.answer_order = order
        events.AnswerOrderChosen.record(actor=actor, order=order)
    return True


NOTICE_FIELDS = {"email_notifications": "email", "digest": "digest",
                 "accepts_routing": "routing", "accepts_owner_asks": "owner_asks",
                 "listening_digest": "listening"}


def notice_settings_save(*, actor: User, rows: dict | None = None,
                         fields: dict | None = None) -> list[str]:
    """Save ``actor``'s choice of notices: ``rows`` maps a row of
    ``engine.notice_settings`` to ``{"site": bool, "email": bool, "push": bool}`` (any
    key may be left out: it keeps its value); ``fields`` sets ``email_notifications``, ``digest``,
    ``accepts_routing`` and (hosts) ``listening_digest``. Returns what changed (nothing
    changed: no write, no event)."""
    rows, fields = rows or {}, fields or {}
    unknown = sorted(set(rows) - {row.key for row in notice_settings.rows()})
    if unknown or set(fields) - set(NOTICE_FIELDS):
        raise ValidationError(gettext("No such notification setting: %(names)s.")
                              % {"names": ", ".join(unknown or fields)})
    if "digest" in fields and fields["digest"] not in User.Digest.values:
        raise ValidationError(gettext("Choose no digest, daily or weekly."))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        stored = dict(user.notice_settings or {})
        current = notice_settings.choices_of(stored)
        changed = []
        for key, choice in rows.items():
            row = notice_settings.row_by_key(key)
            wanted = {where: bool(choice[where]) for where in notice_settings.CHANNELS
                      if where in choice and not (where == "site" and row.site_fixed)}
            if any(current[key][where] != value for where, value in wanted.items()):
                stored[key] = {**current[key], **wanted}
                changed.append(key)
        updates = [name for name, value in fields.items() if getattr(user, name) != value]
        for name in updates:
            setattr(user, name, fields[name])
        changed += [NOTICE_FIELDS[name] for name in updates]
        if not changed:
            return []
        user.notice_settings = stored
        user.save(update_fields=["notice_settings", *updates])
        for name in ("notice_settings", *updates):
            setattr(actor, name, getattr(user, name))
        events.NoticeSettingsChanged.record(actor=user, changed=changed)
    return changed


# Functions called with (user, former_member, remove_posts) before an account is deleted, so
# that each kind of content decides how to survive it. Registered at import by its module.
ACCOUNT_CONTENT_HANDLERS = []


def account_delete(*, request, user: User, remove_posts: bool) -> None:
    """Delete ``user``'s account.

    Posts are either kept and shown as written by "Former member" or have their text removed
    (the thread structure and everybody else's replies stay). Nothing of anyone else is lost:
    invitations they sent and members they invited keep their history without a link to them.
    """
    permissions.require(
        permissions.can_delete_account(user), lambda: permissions.why_not_delete_account(user)
    )
    from community.models import Post

    with transaction.atomic():
        former = former_member_get()
        # The threads they wrote in are rescored by the engagement engine afterwards.
        threads = sorted(set(
            Post.objects.filter(author=user).values_list("thread_id", flat=True)
        ))
        for handler in ACCOUNT_CONTENT_HANDLERS:
            handler(user=user, former_member=former, remove_posts=remove_posts)
        events.AccountDeleted.record(threads=threads, members=[former.pk],
                                     deleted_account=user.pk, removed_posts=remove_posts)
        _avatar_delete_on_commit(user.avatar.name)
        user.delete()
    logout(request)


# Claiming an imported account --------------------------------------------------------

CLAIM_SALT = "community.claim"
CLAIM_MAX_AGE_DAYS = 14


def claim_token(member: User, email: str) -> str:
    return signing.dumps({"u": member.pk, "e": email}, salt=CLAIM_SALT, compress=True)


def claim_read(token: str) -> tuple[User, str] | None:
    """The unclaimed account and the address a valid claim link was sent to (else None)."""
    try:
        data = signing.loads(token, salt=CLAIM_SALT,
                             max_age=CLAIM_MAX_AGE_DAYS * 86400)
    except signing.BadSignature:
        return None
    member = User.objects.filter(pk=data.get("u"), is_unclaimed=True, is_active=True).first()
    return (member, data.get("e", "")) if member else None


def email_taken(email: str) -> bool:
    return (User.objects.filter(email__iexact=email).exists()
            or EmailAddress.objects.filter(email__iexact=email).exists())


def claim_link_send(*, actor: User, member: User, email: str) -> None:
    """A host sends the person behind an imported account a link to claim it."""
    permissions.require(permissions.can_moderate(actor), gettext("Only the host team sends claim "
                                                                 "links."))
    if not member.is_unclaimed:
        raise ValidationError(gettext("This account is already claimed."))
    if email_taken(email):
        raise ValidationError(gettext("Another account uses this email address."))
    url = emails.absolute(reverse("account_claim", args=[claim_token(member, email)]))
    emails.send_templated(to=email, template="claim", context={
        "member": member, "claim_url": url, "max_age_days": CLAIM_MAX_AGE_DAYS,
        "host": actor}, language=emails.language_of(member))


def claim_complete(*, member: User, email: str, password: str) -> User:
    """The link reached ``email``: it is verified, the account is theirs, it can log in."""
    with transaction.atomic():
        member = User.objects.select_for_update().get(pk=member.pk)
        if not member.is_unclaimed:
            raise ValidationError(gettext("This account is already claimed: log in instead."))
        if email_taken(email):
            raise ValidationError(gettext("Another account uses this email address."))
        member.email, member.is_unclaimed = email, False
        # A name brought from the earlier community that would pass for the host team's
        # (a host's, "... team") is not kept: the handle shows until they choose one.
        if lookalikes.display_name_problem(member.display_name, user=member):
            member.display_name = ""
        member.set_password(password)
        member.save(update_fields=["email", "is_unclaimed", "password", "display_name"])
        EmailAddress.objects.create(user=member, email=email, verified=True, primary=True)
        events.MemberClaimed.record(actor=member)
        from community.commerce.ownership import pending_claim

        pending_claim(member=member, email=email)
    return member
