"""What happened, declared once per kind: the ids an event touches and its typed payload.

Each kind is a frozen dataclass of its payload fields, declared with :func:`declare` by the
app that owns the fact and registered from that app's ``AppConfig.ready()`` (community's
in this package, one module per subject; ``purpose.events`` and ``partners.events``
theirs; community never imports them). Callers read every kind and helper from the
package: ``events.PostCreated``.
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

from .commerce import (  # noqa: F401
    CATALOGUE_KINDS,
    OWNERSHIP_KINDS,
    InitiativeSaved,
    OwnershipDeclared,
    OwnershipPending,
    OwnershipRemoved,
    OwnershipVerified,
    ProductCreated,
    ProductEdited,
    ProductsImported,
)
from .conversation import (  # noqa: F401
    CONTENT_EVENT_KINDS,
    CONTENT_MARKS,
    AnswerAccepted,
    AnswerOrderChosen,
    AnswerUnaccepted,
    FlagRaised,
    Followed,
    PostApproved,
    PostCreated,
    PostDeleted,
    PostEdited,
    PostHidden,
    ThreadCreated,
    ThreadModerated,
    TouchDecided,
    VoteCast,
    VoteWithdrawn,
    content_q,
)
from .declaring import (  # noqa: F401
    COLUMNS,
    ID_LISTS,
    IDS,
    Addressed,
    Kind,
    Mentioning,
    Payload,
    Undeclared,
    data_of,
    declare,
    declared,
    kind_of,
    optional,
    register,
    register_kinds,
    registered_kinds,
    touched,
)
from .making import (  # noqa: F401
    COLLECTION_KINDS,
    MOMENT_KINDS,
    CollectionCreated,
    CollectionEdited,
    CollectionFeatured,
    CollectionItemAdded,
    CollectionItemRemoved,
    CollectionReordered,
    MomentCreated,
    MomentEdited,
    MomentEntryFeatured,
)
from .people import (  # noqa: F401
    NOTICE_LEVEL_KINDS,
    AccountDeleted,
    InviteJoined,
    InviteSent,
    MemberClaimed,
    MemberJoined,
    MemberSuspended,
    MemberUnsuspended,
    NoticeLevelSet,
    NoticeSettingsChanged,
    NoticesPaused,
    NoticesResumed,
    ProfileUpdated,
    WelcomeDone,
)
from .platform import (  # noqa: F401
    MAIL_KINDS,
    PUSH_KINDS,
    TOKEN_KINDS,
    AppAuthorised,
    AppRevoked,
    AppSaved,
    MailPosted,
    MailRefused,
    PushRemoved,
    PushSubscribed,
    TokenCreated,
    TokenRevoked,
    WebhookPinged,
    WebhookSaved,
)

# Registered from community's ``AppConfig.ready()``, in this order.
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
