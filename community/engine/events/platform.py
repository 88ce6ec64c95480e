"""Community's kinds about the platform: webhooks, access tokens and third-party apps,
replies by email and web push."""
from __future__ import annotations

from .declaring import Kind, Payload, declare, optional

# Webhooks: the admins' endpoints (``community.api.webhooks``). Never sent to a receiver.


@declare(Kind.WEBHOOK_SAVED, ids=("actor",))
class WebhookSaved(Payload):
    """An admin's change to an endpoint, or the worker's (no ``actor``) when it disabled one
    after repeated failures; ``delivery``: the delivery an admin sent again."""

    endpoint: int
    action: str  # created, edited, rotated, disabled, enabled, deleted, restored, resent
    delivery: int | None = optional()


@declare(Kind.WEBHOOK_PINGED, ids=("actor",))
class WebhookPinged(Payload):
    """A test ping, delivered to ``endpoint`` alone whatever kinds it is sent."""

    endpoint: int

# The public API: a member's personal access tokens (community.api.tokens).


@declare(Kind.TOKEN_CREATED, ids=("actor",))
class TokenCreated(Payload):
    token: int
    scopes: list[str]


@declare(Kind.TOKEN_REVOKED, ids=("actor", "subject_user"))
class TokenRevoked(Payload):
    """``subject_user``: the token's member (an admin may revoke another's token)."""

    token: int


@declare(Kind.APP_SAVED, ids=("actor",))
class AppSaved(Payload):
    """An admin registered (``action`` "registered") or removed ("removed") a third-party
    app (``oauth2_provider``'s Application)."""

    application: int
    action: str


@declare(Kind.APP_AUTHORISED, ids=("actor",))
class AppAuthorised(Payload):
    """A member allowed ``application`` to act as them with ``scopes`` (the consent page)."""

    application: int
    scopes: list[str]


@declare(Kind.APP_REVOKED, ids=("actor", "subject_user"))
class AppRevoked(Payload):
    """``subject_user``'s every token for ``application`` ended (by them on their settings
    page); ``tokens``: how many access and refresh tokens stopped working."""

    application: int
    tokens: int


TOKEN_KINDS = (TokenCreated, TokenRevoked, AppSaved, AppAuthorised, AppRevoked)
# Replies by email (``engine.mail_in``): each mail a member's reply address received, posted
# through ``services.conversations.post_create`` (whose own ``PostCreated`` counts the post)
# or refused with the reason the member was told.


@declare(Kind.MAIL_POSTED, ids=("actor", "thread", "post"))
class MailPosted(Payload):
    via: str  # "smtp" or "http"
    photos: int = 0  # the attached photos the post shows
    ignored: int = 0  # attachments left out (not photos, or refused by the media pipeline)


@declare(Kind.MAIL_REFUSED, ids=("actor", "thread"))
class MailRefused(Payload):
    """``actor``: the member the reply address names, when it names one; ``bounced``: the
    member was told why by email."""

    via: str
    reason: str  # forged, sender, permission, limit, empty
    bounced: bool = False


MAIL_KINDS = (MailPosted, MailRefused)


# Web push (``engine.push``): a member's devices, turned on and off.
@declare(Kind.PUSH_SUBSCRIBED, ids=("actor",))
class PushSubscribed(Payload):
    subscription: int
    renewed: bool = False  # the same device subscribed again (new keys, or a new member)


@declare(Kind.PUSH_REMOVED, ids=("actor",))
class PushRemoved(Payload):
    """``reason``: "member" (settings page or the browser), "signed_out" (the device the
    member signed out of), "gone" (the push service dropped it: 404 or 410)."""

    subscription: int
    reason: str


PUSH_KINDS = (PushSubscribed, PushRemoved)
