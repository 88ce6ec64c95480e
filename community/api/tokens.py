"""Personal access tokens: create (the secret shown once), revoke, and find the token a
request presents. Only the SHA-256 of a token is stored; ``prefix`` names it in lists.

A token's scopes never exceed its member's role (:func:`allowed_scopes`): ``moderate``
needs a staff host, ``admin`` an admin; ``read`` comes with every token. The member's
role is asked again on every request by the same predicates the pages ask, so a host who
stops being one keeps a token that moderates nothing."""
import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from community import permissions
from community.engine import events
from community.models import AccessToken

Scope = AccessToken.Scope
TOKEN_START = "grv_"  # noqa: S105  # nosec B105: the public marker every token starts with
PREFIX_LENGTH = 8  # random characters after ``grv_`` that name the token
NAME_MAX = 80


def allowed_scopes(user) -> list[str]:
    """The scopes ``user``'s role allows a token to have."""
    if not permissions.is_member(user):
        return []
    allowed = [Scope.READ, Scope.WRITE]
    if permissions.can_moderate(user):
        allowed.append(Scope.MODERATE)
    if permissions.is_admin(user):
        allowed.append(Scope.ADMIN)
    return [str(s) for s in allowed]


def can_create_token(user) -> bool:
    """Any member with an active account (a suspended member's token reads only what the
    predicates let them, as their session does)."""
    return permissions.is_member(user)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_secret() -> tuple[str, str]:
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    return prefix, f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"


def token_create(*, user, name: str, scopes, expires_at=None,
                 days: int | None = None) -> tuple[AccessToken, str]:
    """A new token for ``user`` and its secret (to show once, never stored). ``scopes``
    beyond ``user``'s role are refused (``ValidationError``); ``read`` is always granted.
    ``days`` (or ``expires_at``): when it stops working, at most ``API_TOKEN_MAX_DAYS``."""
    permissions.require(can_create_token(user), _("Sign in to create an access token."))
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": [_("Give the token a name: what is it for?")]})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": [_("Use at most %(max)d characters.") % {"max": NAME_MAX}]})
    wanted = {str(s) for s in scopes} | {Scope.READ.value}
    unknown = sorted(wanted - set(Scope.values))
    if unknown:
        raise ValidationError({"scopes": [
            _("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(unknown)}]})
    beyond = sorted(wanted - set(allowed_scopes(user)))
    if beyond:
        raise ValidationError({"scopes": [
            ngettext("Your role does not allow the %(scopes)s scope.",
                     "Your role does not allow the %(scopes)s scopes.", len(beyond))
            % {"scopes": ", ".join(beyond)}]})
    now = timezone.now()
    longest = now + timedelta(days=settings.API_TOKEN_MAX_DAYS)
    if expires_at is None:
        expires_at = now + timedelta(days=days or 30)
    if expires_at <= now:
        raise ValidationError({"expires_at": [_("Choose a day in the future.")]})
    if expires_at > longest:
        raise ValidationError({"expires_at": [
            _("A token lives at most %(days)d days.") % {"days": settings.API_TOKEN_MAX_DAYS}]})
    prefix, secret = _new_secret()
    ordered = [s for s in Scope.values if s in wanted]
    with transaction.atomic():
        token = AccessToken.objects.create(user=user, name=name, prefix=prefix,
                                           secret_hash=digest(secret), scopes=ordered,
                                           created_at=now, expires_at=expires_at)
        events.TokenCreated.record(actor=user, token=token.pk, scopes=ordered)
    return token, secret


def can_revoke_token(user, token: AccessToken) -> bool:
    """Its member, or an admin."""
    return permissions.is_member(user) and (token.user_id == user.pk
                                            or permissions.is_admin(user))


def token_revoke(*, actor, token: AccessToken) -> bool:
    """Stop ``token`` at once; False when it was already revoked."""
    permissions.require(can_revoke_token(actor, token), _("This token is not yours to revoke."))
    with transaction.atomic():
        now = timezone.now()
        changed = AccessToken.objects.filter(pk=token.pk, revoked_at=None).update(
            revoked_at=now)
        if not changed:
            return False
        token.revoked_at = now
        events.TokenRevoked.record(actor=actor, subject_user=token.user_id, token=token.pk)
    return True


def token_find(presented: str) -> AccessToken | None:
    """The live token ``presented`` is, with its user (one query), or None: unknown,
    wrong secret, expired or revoked all read the same to the caller."""
    if not presented.startswith(TOKEN_START) or len(presented) > 200:
        return None
    prefix = presented[len(TOKEN_START):].split("_", 1)[0]
    if len(prefix) != PREFIX_LENGTH:
        return None
    token = AccessToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, digest(presented)):
        return None
    now = timezone.now()
    if not token.is_live(now):
        return None
    if token.last_used_at is None or (
            now - token.last_used_at).total_seconds() > settings.API_TOKEN_TOUCH_SECONDS:
        # Bookkeeping, not a fact any page shows: no event, and at most once a minute.
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_of(user):
    return AccessToken.objects.filter(user=user).order_by("-created_at", "-id")
