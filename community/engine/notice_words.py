"""How a notice reads, alone ("Ben answered your question …") and as a row of the inbox
that groups several ("Ben and 2 others replied in …", "3 new replies from Ben in …").

Every name and title is bidi-isolated (:func:`isolated`), so a right-to-left one cannot
reorder the sentence around it. Other apps' kinds read as ``TEXTS`` says
(``notifications.register_notices``).
"""
from collections.abc import Callable

from community.models import Notification

Kind = Notification.Kind

# The notices other apps register: how each reads. Filled from the apps' ``ready()``.
TEXTS: dict[str, Callable[[Notification], str]] = {}


def isolated(text: str) -> str:
    """``text`` between Unicode's first-strong isolate and its pop: a right-to-left name or
    title cannot reorder the words around it, in a page, a subject line or a plain email."""
    return f"\u2068{text}\u2069"


def describe(notice: Notification) -> str:
    who = isolated(notice.actor.name) if notice.actor else "Someone"
    title = isolated(notice.thread.title) if notice.thread else "a thread"
    own = {
        Kind.REPLY: f"{who} replied in “{title}”",
        Kind.ANSWER: f"{who} answered your question “{title}”",
        Kind.ACCEPTED: f"{who} accepted your answer on “{title}”",
        Kind.MENTION: f"{who} mentioned you in “{title}”",
        Kind.LIKE: f"{who} liked your post in “{title}”",
        Kind.HELPFUL: f"{who} found your answer on “{title}” helpful",
        # An owner's ask says why they are asked ("You bought … on …", ``routing._ask``).
        Kind.ROUTED: (f"{notice.message}; a shopper asks: “{title}”" if notice.message
                      else f"Can you help? {who} asked “{title}”"),
        Kind.NEW_THREAD: f"{who} started “{title}” in a space you follow",
        Kind.FLAG_OUTCOME: f"A host reviewed the post you flagged in “{title}”: "
                           f"{notice.message}",
        Kind.MODERATED: notice.message or f"A host acted on your post in “{title}”",
        Kind.WELCOME: f"{who} welcomed you: {notice.message}",
        Kind.INTRODUCED: f"{who} thinks you can help with “{title}”",
        Kind.COLLECTED: f"{who} added your post in “{title}” to the collection "
                        f"“{isolated(notice.message)}”",
        Kind.FEATURED: f"{who} featured your entry to “{title}” on the home page",
        Kind.CURATED: f"{who} added “{title}” to “{isolated(notice.message)}”, a collection "
                      "you follow",
    }
    if notice.kind in own:
        return own[notice.kind]
    if notice.kind in TEXTS:  # a kind another app registered
        return TEXTS[notice.kind](notice)
    return title


def _who(actors, people: int) -> str:
    """"Ben", "Ben and Ana", "Ben and 4 others" (``actors`` newest first)."""
    names = [isolated(actor.name) for actor in actors]
    if not names:
        return ""
    if people <= 1:
        return names[0]
    if people == 2 and len(names) >= 2:
        return f"{names[0]} and {names[1]}"
    others = people - 1
    return f"{names[0]} and {others} other{'s' if others != 1 else ''}"


# For a row of several notices of one kind on one thread: what several people did, and
# what one person (or nobody still on the site) did several times.
_SEVERAL = {
    Kind.REPLY: ("{who} replied in “{title}”", "{count} replies{by} in “{title}”"),
    Kind.ANSWER: ("{who} answered your question “{title}”",
                  "{count} answers{by} to your question “{title}”"),
    Kind.MENTION: ("{who} mentioned you in “{title}”",
                   "{count} mentions of you{by} in “{title}”"),
    Kind.LIKE: ("{who} liked your {post} in “{title}”",
                "{count} likes{by} on your {post} in “{title}”"),
    Kind.HELPFUL: ("{who} found your {answer} on “{title}” helpful",
                   "{count} helpful votes{by} on your {answer} to “{title}”"),
    Kind.ACCEPTED: ("{who} accepted your {answer} on “{title}”",
                    "{who} accepted your {answer} on “{title}”"),
}


def describe_group(notice: Notification | None, *, actors, people: int, total: int,
                   unread: int = 0, posts: int = 1) -> str:
    """A row of ``total`` notices like ``notice`` (its newest) from ``people`` people
    (``actors``: the newest few of them, newest first), ``unread`` of them unread."""
    if notice is None:
        return ""
    if total <= 1 or notice.kind not in _SEVERAL or notice.thread is None:
        return describe(notice)
    several, repeated = _SEVERAL[notice.kind]
    who = _who(actors, people) or "Someone"
    title = isolated(notice.thread.title)
    plural = posts > 1
    words = {"who": who, "title": title, "post": "posts" if plural else "post",
             "answer": "answers" if plural else "answer"}
    if people >= 2:
        return several.format(**words)
    count = f"{total} new" if unread == total else str(total)
    by = f" from {who}" if actors else ""
    return repeated.format(count=count, by=by, **words)
