"""Which events the pages hear of, on which topics, and who may hear each one.

Topics a page subscribes to: ``thread:<id>`` (a thread page), ``feed`` (the home and space
pages' thread lists) and ``inbox`` (the notifications page); a signed-in reader also hears
their own notices, under ``user:<id>``, which no one may ask for by name.

A signal carries ids only. Who may receive it is decided by the permission predicates on
the thread and post as they are now: a new or edited post reaches the readers who may see
it (``can_see_post``: a post held for review reaches its author and the hosts); a post
hidden or deleted reaches every reader of the thread, so that it can vanish from their
page (their page asks the thread again and shows what they may see).
"""
import json
from dataclasses import dataclass

from community import permissions
from community.models import EngagementEvent

Kind = EngagementEvent.Kind

#: Kinds a page hears of -> (also on the thread lists?, does it take a post away?)
LIVE = {
    Kind.THREAD_CREATED: (True, False),
    Kind.POST_CREATED: (True, False),
    Kind.POST_EDITED: (False, False),
    Kind.POST_APPROVED: (True, False),
    Kind.POST_HIDDEN: (True, True),
    Kind.POST_DELETED: (True, True),
    Kind.THREAD_MODERATED: (True, False),
    Kind.ANSWER_ACCEPTED: (True, False),
    Kind.ANSWER_UNACCEPTED: (True, False),
    Kind.VOTE_CAST: (True, False),
    Kind.VOTE_WITHDRAWN: (True, False),
}
LIVE_KINDS = tuple(str(kind) for kind in LIVE)

FEED, INBOX = "feed", "inbox"
MAX_TOPICS = 8


@dataclass(frozen=True, slots=True)
class Signal:
    event: int
    kind: str
    thread: int
    post: int | None
    removal: bool
    topics: tuple[str, ...]

    def data(self, space: int | None) -> str:
        return json.dumps({"e": self.event, "k": self.kind, "t": self.thread, "p": self.post,
                           "s": space}, separators=(",", ":"))


def signal_of(event) -> Signal | None:
    """The signal an applied event makes, or ``None`` when no page shows its fact."""
    shape = LIVE.get(event.kind)
    if shape is None or not event.thread_id:
        return None
    listed, removal = shape
    topics = (f"thread:{event.thread_id}", FEED) if listed else (f"thread:{event.thread_id}",)
    return Signal(event=event.pk, kind=event.kind, thread=event.thread_id,
                  post=event.post_id, removal=removal, topics=topics)


def may_receive(user, signal: Signal, thread, post) -> bool:
    """May ``user`` hear of ``signal``? ``thread`` and ``post`` as they are now (``None``:
    gone)."""
    if thread is None or not permissions.can_view_thread(user, thread):
        return False
    if signal.removal or signal.post is None:
        return True
    return post is not None and permissions.can_see_post(user, post, thread)


def private_topic(user) -> str | None:
    """The topic of ``user``'s own notices (signed-in members only)."""
    return f"user:{user.pk}" if permissions.is_member(user) else None


class TopicError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def topics_parse(raw: str) -> tuple[list[str], list[int]]:
    """``thread:12,feed`` -> (topics, the thread ids named); ``TopicError(400)`` if malformed."""
    topics, threads = [], []
    for part in filter(None, (p.strip() for p in raw.split(","))):
        if part in (FEED, INBOX):
            topics.append(part)
            continue
        name, _, pk = part.partition(":")
        if name != "thread" or not pk.isdigit() or len(pk) > 18:
            raise TopicError(400, f"Unknown topic {part[:40]!r}")
        topics.append(part)
        threads.append(int(pk))
    if not topics or len(topics) > MAX_TOPICS:
        raise TopicError(400, f"Ask for between 1 and {MAX_TOPICS} topics")
    return sorted(set(topics)), threads


def topics_check(user, topics: list[str], threads: list[int]) -> None:
    """The reader may follow these topics: threads they may read, their own inbox
    (``TopicError(404)`` for a thread that does not exist, 403 for one they may not read)."""
    from community.models import Thread

    if INBOX in topics and not permissions.is_member(user):
        raise TopicError(403, "Sign in to follow your notifications")
    found = {t.pk: t for t in Thread.objects.filter(pk__in=threads).only(*THREAD_FIELDS)}
    for pk in threads:
        if pk not in found:
            raise TopicError(404, "No such thread")
        if not permissions.can_view_thread(user, found[pk]):
            raise TopicError(403, "You may not read this thread")


THREAD_FIELDS = ("id", "space_id", "author_id", "is_deleted", "is_hidden", "merged_into_id")
POST_FIELDS = ("id", "thread_id", "author_id", "status", "is_deleted")


def objects_load(signals: list[Signal]) -> tuple[dict, dict]:
    """The threads and posts the signals name, as they are now (the fields the
    predicates read), in two queries."""
    from community.models import Post, Thread

    threads = {t.pk: t for t in Thread.objects.filter(
        pk__in={s.thread for s in signals}).only(*THREAD_FIELDS)}
    posts = {p.pk: p for p in Post.objects.filter(
        pk__in={s.post for s in signals if s.post}).only(*POST_FIELDS)}
    return threads, posts
