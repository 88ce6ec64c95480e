"""Community's kinds about the conversation: threads and posts, moderation of them,
answers accepted, helpful votes, follows, answer order, human touch and flags."""
from __future__ import annotations

from django.db.models import Q

from community.models import Post, Thread

from .declaring import Kind, Mentioning, Payload, declare, optional


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


@declare(Kind.TOUCH_DECIDED, ids=("actor", "subject_user", "post"))
class TouchDecided(Payload):
    """A host answered a human-touch post in person, set it aside, or put it back in the
    queue (``touch``: ``PostSignal.Touch``); ``subject_user`` wrote the post."""

    touch: str


@declare(Kind.FLAG_RAISED, ids=("actor", "thread", "post", "subject_user"))
class FlagRaised(Payload):
    """A member flagged a post for the hosts (the note stays on the flag: it is for hosts)."""

    reason: str  # Flag.Reason
    hidden: bool  # the flags' weight reached the threshold and hid the post
