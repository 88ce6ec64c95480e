"""What happened, declared once per kind: the ids an event touches and its typed payload.

Each kind is a frozen dataclass of its payload fields, declared with :func:`declare` by the
app that owns the fact and registered from that app's ``AppConfig.ready()`` (community's
below, ``purpose.events`` and ``partners.events`` theirs; community never imports them).
The kind's value and label are the owner's too: community's are ``EngagementEvent.Kind``,
each other app adds its own ``Kind`` choices with :func:`register_kinds`::

    @declare(Kind.POST_CREATED, ids=("actor", "subject_user", "thread", "post"))
    class PostCreated(Mentioning):
        kind: str
        held: bool = False

    PostCreated.record(actor=author, subject_user=parent.author_id, thread=thread,
                       post=post, kind=post.kind, mentions=["ada"], held=False)

``record`` is the kind's one constructor: an id the kind does not declare, a payload field
it does not declare, a missing field or a value of the wrong type raises ``TypeError``
before anything is written; then ``services.events.event_record`` appends the row. The
payload is stored under the field names (the JSON rows written before these declarations
read the same way). Readers (the engine, notifications) take ``data_of(event)``, the
kind's dataclass, and test it with ``isinstance``; :func:`touched` gives the threads and
members an event concerns.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, ClassVar

from django.db.models import Q, TextChoices

from community.models import EngagementEvent, Post, Thread
from community.models.events import EVENT_KINDS

Kind = EngagementEvent.Kind  # community's own kinds

# The ids an event may touch: the row's columns, and lists of further threads and members
# (kept in the payload under these names, as they always were).
COLUMNS = ("actor", "subject_user", "thread", "post")
ID_LISTS = ("threads", "members")
IDS = COLUMNS + ID_LISTS

_REGISTRY: dict[str, type[Payload]] = {}


def optional(default=None):
    """A field left out of the stored payload while it is ``None`` (as it always was)."""
    return dataclasses.field(default=default, metadata={"omit_none": True})


@dataclasses.dataclass(frozen=True, kw_only=True)
class Payload:
    """Base of every kind's payload. Class attributes set by :func:`declare`."""

    KIND: ClassVar[str] = ""
    IDS: ClassVar[frozenset[str]] = frozenset()
    OWNER: ClassVar[str] = ""
    STRATEGY: ClassVar[str] = ""  # the engagement strategy a member's event of it counts for

    @classmethod
    def record(cls, *, actor=None, subject_user=None, thread=None, post=None,
               threads: list[int] | None = None, members: list[int] | None = None,
               **fields) -> EngagementEvent:
        """Append this kind's event (inside the caller's ``transaction.atomic``).

        ``actor`` is a user; ``subject_user``, ``thread`` and ``post`` a model or its id."""
        if _REGISTRY.get(cls.KIND) is not cls:
            raise LookupError(f"{cls.__name__} ({cls.KIND!r}) is declared but not registered: "
                              f"register it from its app's AppConfig.ready()")
        given = {"actor": actor, "subject_user": subject_user, "thread": thread, "post": post,
                 "threads": threads, "members": members}
        stray = sorted(name for name, value in given.items()
                       if value is not None and name not in cls.IDS)
        if stray:
            raise TypeError(f"{cls.KIND} does not touch {', '.join(stray)}")
        data = cls(**fields)
        data.check()
        payload = data.as_payload()
        for name in ID_LISTS:
            if given[name] is not None:
                payload[name] = _ints(cls.KIND, name, given[name])
        from community.services.events import event_record

        return event_record(kind=cls.KIND, actor=actor, subject_user_id=_pk(subject_user),
                            thread_id=_pk(thread), post_id=_pk(post), payload=payload)

    def check(self) -> None:
        """Every field holds a value of its declared type (``TypeError`` if not)."""
        hints = _hints(type(self))
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if not _matches(value, hints[f.name]):
                raise TypeError(f"{self.KIND}.{f.name} must be {_type_name(hints[f.name])}, "
                                f"not {value!r}")

    def as_payload(self) -> dict:
        payload = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is None and f.metadata.get("omit_none"):
                continue
            payload[f.name] = list(value) if isinstance(value, tuple) else value
        return payload

    @classmethod
    def from_payload(cls, payload: dict | None) -> Payload:
        """The typed view of a stored payload; a field an older row lacks reads as its
        default (``None`` where it has none). Ids in the payload are read by :func:`touched`."""
        payload = payload or {}
        values = {}
        for f in dataclasses.fields(cls):
            if f.name in payload:
                values[f.name] = payload[f.name]
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                values[f.name] = None
        return cls(**values)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Undeclared(Payload):
    """What ``data_of(event)`` is for a kind no installed app declares: no fields to read."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Mentioning(Payload):
    """Kinds about a text: the lower-cased ``@handles`` it mentions (who is told)."""

    mentions: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Addressed(Payload):
    """Kinds whose writer names who hears of them: the member ids in ``notify`` get a notice
    of the kind's ``NOTICE`` with ``message`` and a link to ``url``."""

    NOTICE: ClassVar[str] = ""

    notify: list[int]
    message: str = ""
    url: str = ""


def declare(kind: str, *, ids: tuple[str, ...] = (), notice: str = "", strategy: str = ""):
    """Class decorator: ``cls`` becomes the frozen payload dataclass of ``kind``.

    ``strategy`` names the engagement strategy (``engine.strategies``) a member's event of
    this kind counts for; a kind that names none is not engagement (a follow, an edit)."""
    unknown = set(ids) - set(IDS)
    if unknown:
        raise ValueError(f"{kind}: unknown ids {sorted(unknown)} (choose from {IDS})")
    from .strategies import NAMES

    if strategy and strategy not in NAMES:
        raise ValueError(f"{kind}: unknown strategy {strategy!r} (choose from {sorted(NAMES)})")

    def wrap(cls):
        data_cls = dataclasses.dataclass(frozen=True, kw_only=True)(cls)
        clash = {f.name for f in dataclasses.fields(data_cls)} & set(IDS)
        if clash:
            raise ValueError(f"{kind}: payload fields may not be named {sorted(clash)}")
        if notice and not issubclass(data_cls, Addressed):
            raise ValueError(f"{kind}: only an Addressed kind names a notice")
        if issubclass(data_cls, Addressed) and not notice:
            raise ValueError(f"{kind}: an Addressed kind names the notice it makes")
        data_cls.KIND, data_cls.IDS = str(kind), frozenset(ids)
        data_cls.STRATEGY = strategy
        data_cls.OWNER = cls.__module__.split(".")[0]
        if notice:
            data_cls.NOTICE = notice
        _hints(data_cls)
        return data_cls

    return wrap


def register_kinds(choices: type[TextChoices]) -> None:
    """Add an app's ``Kind`` choices to the values an event row may hold (from the owning
    app's ``ready()``); a value another app already registered is refused."""
    EVENT_KINDS.register(choices)


def registered_kinds() -> list[str]:
    """The value of every event kind an installed app registered."""
    return EVENT_KINDS.values()


def register(*kinds: type[Payload]) -> None:
    """Make declared kinds readable and recordable (from the owning app's ``ready()``)."""
    for cls in kinds:
        if not (isinstance(cls, type) and issubclass(cls, Payload) and cls.KIND):
            raise TypeError(f"{cls!r} is not a kind made by events.declare")
        current = _REGISTRY.get(cls.KIND)
        if current is not None and current is not cls:
            raise ValueError(f"{cls.KIND!r} is already declared by {current.__module__}")
        _REGISTRY[cls.KIND] = cls


def kind_of(name: str) -> type[Payload]:
    """The declared payload class of the kind called ``name`` (``LookupError`` if none)."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LookupError(f"No app declares the event kind {name!r}") from None


def declared() -> dict[str, type[Payload]]:
    return dict(_REGISTRY)


def data_of(event: EngagementEvent) -> Payload:
    """``event``'s payload as its kind's dataclass (``Undeclared`` for an unknown kind)."""
    cls = _REGISTRY.get(event.kind, Undeclared)
    return cls.from_payload(event.payload)


def touched(event: EngagementEvent) -> tuple[set[int], set[int]]:
    """The threads and the members ``event`` concerns: its columns and its id lists."""
    cls = _REGISTRY.get(event.kind, Undeclared)
    payload = event.payload or {}
    threads = {event.thread_id} if event.thread_id else set()
    members = {pk for pk in (event.actor_id, event.subject_user_id) if pk}
    if "threads" in cls.IDS:
        threads.update(payload.get("threads") or [])
    if "members" in cls.IDS:
        members.update(payload.get("members") or [])
    return threads, members


# Checking values against the declared types ------------------------------------------------

_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _matches(value, annotation) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_matches(value, arg) for arg in typing.get_args(annotation))
    if annotation is type(None):
        return value is None
    if origin is list:
        (item,) = typing.get_args(annotation) or (Any,)
        return isinstance(value, (list, tuple)) and all(_matches(v, item) for v in value)
    if annotation is Any:
        return True
    if annotation in (int, float) and isinstance(value, bool):
        return False
    if annotation is float:
        return isinstance(value, (int, float))
    return isinstance(value, annotation)


def _type_name(annotation) -> str:
    return annotation.__name__ if isinstance(annotation, type) else str(annotation)


def _ints(kind: str, name: str, values) -> list[int]:
    if not _matches(values, list[int]):
        raise TypeError(f"{kind}.{name} must be a list of ids, not {values!r}")
    return list(values)


def _pk(value):
    return value if value is None or isinstance(value, int) else value.pk


# Community's kinds ---------------------------------------------------------------------------
# People


@declare(Kind.MEMBER_JOINED, ids=("actor",))
class MemberJoined(Payload):
    pass


@declare(Kind.INVITE_SENT, ids=("actor",))
class InviteSent(Payload):
    invitation: int
    mailed: bool


@declare(Kind.INVITE_JOINED, ids=("actor", "subject_user"))
class InviteJoined(Payload):
    invitation: int


@declare(Kind.PROFILE_UPDATED, ids=("actor",))
class ProfileUpdated(Payload):
    pass


@declare(Kind.ACCOUNT_DELETED, ids=("threads", "members"))
class AccountDeleted(Payload):
    """The threads the member wrote in and the former-member account are rescored."""

    deleted_account: int
    removed_posts: bool


# Conversation


@declare(Kind.THREAD_CREATED, ids=("actor", "thread", "post"), strategy="conversation")
class ThreadCreated(Mentioning):
    kind: str  # Thread.Kind
    space: int
    held: bool = False
    photos: int | None = optional()  # the photos its opening post shows (counted as content)
    owners_asked: int | None = optional()  # asked of this product's owners (commerce)

    @property
    def opens_question(self) -> bool:
        return self.kind == Thread.Kind.QUESTION and not self.held


@declare(Kind.POST_CREATED, ids=("actor", "subject_user", "thread", "post"),
         strategy="conversation")
class PostCreated(Mentioning):
    kind: str  # Post.Kind
    held: bool = False
    moment: int | None = optional()  # an entry to this moment (counted as content)
    photos: int | None = optional()  # the photos the post shows (counted as content)
    owner: int | None = optional()  # an answer by an owner of this product (commerce)


@declare(Kind.POST_EDITED, ids=("actor", "subject_user", "thread", "post"))
class PostEdited(Mentioning):
    held: bool = False  # the new text sent a published post back for review
    staff: bool = False  # edited by a host
    # The photos an edit gave a post that had never shown one (nor was an entry to a
    # moment): it is counted as content then, once (``services.media.photos_first``).
    photos: int | None = optional()


# Content: what members create for the brand (``host.dashboard.engagement_mix``), marked
# in the event when the post is written: an entry to a moment names it, a post with photos
# (or the edit that gave it its first) names them. A post is counted once.
CONTENT_EVENT_KINDS = (Kind.THREAD_CREATED, Kind.POST_CREATED, Kind.POST_EDITED)
CONTENT_MARKS = ("moment", "photos")


def content_q() -> Q:
    """The events that count their post as content."""
    marked = Q()
    for mark in CONTENT_MARKS:
        marked |= Q(payload__has_key=mark)
    return marked & Q(kind__in=CONTENT_EVENT_KINDS)


@declare(Kind.POST_DELETED, ids=("actor", "thread", "post"))
class PostDeleted(Payload):
    kind: str  # Post.Kind


@declare(Kind.POST_APPROVED, ids=("actor", "subject_user", "thread", "post"))
class PostApproved(Mentioning):
    kind: str  # Post.Kind
    thread_kind: str  # Thread.Kind

    @property
    def opens_question(self) -> bool:
        return self.kind == Post.Kind.OPENING and self.thread_kind == Thread.Kind.QUESTION


@declare(Kind.POST_HIDDEN, ids=("actor", "subject_user", "thread", "post"))
class PostHidden(Mentioning):
    kind: str  # Post.Kind
    thread_kind: str  # Thread.Kind


@declare(Kind.THREAD_MODERATED, ids=("actor", "thread", "threads", "members"))
class ThreadModerated(Payload):
    action: str  # is_pinned, is_locked, is_featured, close, reopen, move, merge, tags
    value: bool | None = optional()  # for the three flags
    tags: list[str] | None = optional()  # the thread's tags after a change of them


@declare(Kind.ANSWER_ACCEPTED, ids=("actor", "subject_user", "thread", "post"))
class AnswerAccepted(Payload):
    pass


@declare(Kind.ANSWER_UNACCEPTED, ids=("actor", "thread", "post"))
class AnswerUnaccepted(Payload):
    pass


@declare(Kind.VOTE_CAST, ids=("actor", "subject_user", "thread", "post"), strategy="conversation")
class VoteCast(Payload):
    vote: str  # Vote.Kind


@declare(Kind.VOTE_WITHDRAWN, ids=("actor", "subject_user", "thread", "post"))
class VoteWithdrawn(Payload):
    vote: str  # Vote.Kind


@declare(Kind.FOLLOWED, ids=("actor", "thread"))
class Followed(Payload):
    """A follow or unfollow of a thread (the ``thread`` column), a space, a tag, a
    project or a collection."""

    follow: bool = True
    space: int | None = optional()
    tag: int | None = optional()
    project: int | None = optional()
    collection: int | None = optional()


@declare(Kind.ANSWER_ORDER_CHOSEN, ids=("actor",))
class AnswerOrderChosen(Payload):
    """A member's choice of how answers are ordered on the questions they read."""

    order: str  # User.AnswerOrder


@declare(Kind.NOTICE_SETTINGS_CHANGED, ids=("actor",))
class NoticeSettingsChanged(Payload):
    """A member's choice of which notices they get, on the site and by email (their
    settings page, or an email's unsubscribe link)."""

    changed: list[str]  # the settings rows, and "email", "digest" or "routing", changed


@declare(Kind.NOTICE_LEVEL_SET, ids=("actor", "thread"))
class NoticeLevelSet(Payload):
    """A member set their notification level of a thread (the ``thread`` column) or a
    space (``space``); ``level`` "normal" with no row left means back to the default."""

    level: str  # ThreadFollow.Level or SpaceFollow.Level
    space: int | None = optional()


@declare(Kind.NOTICES_PAUSED, ids=("actor",))
class NoticesPaused(Payload):
    """A member paused their notifications (no email, no push) until ``until`` (ISO)."""

    until: str


@declare(Kind.NOTICES_RESUMED, ids=("actor",))
class NoticesResumed(Payload):
    """A member ended their pause before its end (``early``) or it was cleared."""

    early: bool = True


NOTICE_LEVEL_KINDS = (NoticeLevelSet, NoticesPaused, NoticesResumed)


@declare(Kind.WELCOME_DONE, ids=("actor",))
class WelcomeDone(Payload):
    """A new member finished the first-visit welcome, or skipped it (``outcome``)."""

    outcome: str  # "finished" or "skipped"


@declare(Kind.MEMBER_CLAIMED, ids=("actor",))
class MemberClaimed(Payload):
    """An imported account claimed by its person (their name shows as claimed)."""


@declare(Kind.MEMBER_SUSPENDED, ids=("actor", "subject_user"))
class MemberSuspended(Payload):
    ends_at: str  # ISO date and time


@declare(Kind.MEMBER_UNSUSPENDED, ids=("actor", "subject_user"))
class MemberUnsuspended(Payload):
    pass


# Curation: members' collections of threads and posts. ``subject_user`` is the owner when
# someone else acts on a collection (a host featuring it), the collected post's author when
# a post or thread is added.


@declare(Kind.COLLECTION_CREATED, ids=("actor",), strategy="curation")
class CollectionCreated(Payload):
    collection: int
    public: bool


@declare(Kind.COLLECTION_EDITED, ids=("actor",))
class CollectionEdited(Payload):
    collection: int
    action: str  # edited, deleted, restored
    public: bool


@declare(Kind.COLLECTION_ITEM_ADDED, ids=("actor", "subject_user", "thread", "post"),
         strategy="curation")
class CollectionItemAdded(Payload):
    """``followers`` hear of the addition; the author of what was added too when
    ``author_told`` (someone else's post in a public collection, once a day at most)."""

    collection: int
    item: int
    title: str  # the collection's, for the notices
    public: bool
    followers: list[int] = dataclasses.field(default_factory=list)
    author_told: bool = False


@declare(Kind.COLLECTION_ITEM_REMOVED, ids=("actor", "thread", "post"))
class CollectionItemRemoved(Payload):
    collection: int


@declare(Kind.COLLECTION_REORDERED, ids=("actor",))
class CollectionReordered(Payload):
    collection: int
    item: int
    direction: str  # up, down


@declare(Kind.COLLECTION_FEATURED, ids=("actor", "subject_user"))
class CollectionFeatured(Payload):
    collection: int
    featured: bool


COLLECTION_KINDS = (
    CollectionCreated, CollectionEdited, CollectionItemAdded, CollectionItemRemoved,
    CollectionReordered, CollectionFeatured,
)


@declare(Kind.MOMENT_CREATED, ids=("actor", "thread"))
class MomentCreated(Payload):
    moment: int


@declare(Kind.MOMENT_EDITED, ids=("actor", "thread"))
class MomentEdited(Payload):
    moment: int
    action: str  # edited, closed


@declare(Kind.MOMENT_ENTRY_FEATURED, ids=("actor", "subject_user", "thread", "post"))
class MomentEntryFeatured(Payload):
    moment: int
    entry: int
    featured: bool


MOMENT_KINDS = (MomentCreated, MomentEdited, MomentEntryFeatured)


@declare(Kind.TOUCH_DECIDED, ids=("actor", "subject_user", "post"))
class TouchDecided(Payload):
    """A host answered a human-touch post in person, set it aside, or put it back in the
    queue (``touch``: ``PostSignal.Touch``); ``subject_user`` wrote the post."""

    touch: str


# Commerce: who owns what (``community.commerce.ownership``). ``threads`` are the threads
# about the product where the member answered: their answers' owner badge changes.


@declare(Kind.OWNERSHIP_DECLARED, ids=("actor", "threads"), strategy="commerce")
class OwnershipDeclared(Payload):
    product: int


@declare(Kind.OWNERSHIP_VERIFIED, ids=("actor", "subject_user", "threads"))
class OwnershipVerified(Payload):
    """A purchase verified ``subject_user``'s ownership (``actor``: the member themselves
    when their confirmed address brought a pending order; none for an import or the shop's
    call). ``upgraded``: it was declared before."""

    product: int
    source: str  # Ownership.Source
    upgraded: bool = False


@declare(Kind.OWNERSHIP_REMOVED, ids=("actor", "threads"))
class OwnershipRemoved(Payload):
    product: int
    was_verified: bool


@declare(Kind.OWNERSHIP_PENDING, ids=())
class OwnershipPending(Payload):
    """A purchase for an address no account has confirmed: kept under its digest."""

    product: int
    source: str


OWNERSHIP_KINDS = (OwnershipDeclared, OwnershipVerified, OwnershipRemoved, OwnershipPending)


# The catalogue: products a host adds or edits, and batches of the shop's feed. A product's
# page and the product list show them (``community.commerce.catalogue``).


@declare(Kind.PRODUCT_CREATED, ids=("actor",))
class ProductCreated(Payload):
    product: int


@declare(Kind.PRODUCT_EDITED, ids=("actor",))
class ProductEdited(Payload):
    product: int
    action: str  # edited, image_added, image_removed, images_ordered, deleted
    changed: list[str] = dataclasses.field(default_factory=list)  # the fields edited


@declare(Kind.PRODUCTS_IMPORTED, ids=("actor",))
class ProductsImported(Payload):
    """One batch of ``manage.py import_products``: the products it created or changed."""

    products: list[int]
    created: int
    updated: int


CATALOGUE_KINDS = (ProductCreated, ProductEdited, ProductsImported)
# Strategy: the hosts' record of the brand's marketing initiatives.


@declare(Kind.INITIATIVE_SAVED, ids=("actor",))
class InitiativeSaved(Payload):
    initiative: int
    action: str  # created, edited, deleted, restored


# Webhooks: the admins' endpoints (``community.api.webhooks``). Never sent to a receiver.


@declare(Kind.FLAG_RAISED, ids=("actor", "thread", "post", "subject_user"))
class FlagRaised(Payload):
    """A member flagged a post for the hosts (the note stays on the flag: it is for hosts)."""

    reason: str  # Flag.Reason
    hidden: bool  # the flags' weight reached the threshold and hid the post


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

COMMUNITY_KINDS = (
    MemberJoined, InviteSent, InviteJoined, ProfileUpdated, AccountDeleted, ThreadCreated,
    PostCreated, PostEdited, PostDeleted, PostApproved, PostHidden, ThreadModerated,
    AnswerAccepted, AnswerUnaccepted, VoteCast, VoteWithdrawn, Followed, AnswerOrderChosen,
    NoticeSettingsChanged, *NOTICE_LEVEL_KINDS, MemberClaimed, MemberSuspended,
    MemberUnsuspended, WelcomeDone, *COLLECTION_KINDS, *MOMENT_KINDS, TouchDecided,
    *OWNERSHIP_KINDS, *CATALOGUE_KINDS,
    InitiativeSaved, FlagRaised, WebhookSaved, WebhookPinged,
    *TOKEN_KINDS,
    *MAIL_KINDS,
    *PUSH_KINDS,
)
