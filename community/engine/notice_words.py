"""How a notice reads, alone ("Ben answered your question …") and as a row of the inbox
that groups several ("Ben and 2 others replied in …", "3 new replies from Ben in …").

Every name and title is bidi-isolated (:func:`isolated`), so a right-to-left one cannot
reorder the sentence around it. Other apps' kinds read as ``TEXTS`` says
(``notifications.register_notices``).
"""
from collections.abc import Callable

from django.utils.translation import gettext, gettext_lazy, ngettext

from community.models import Notification

Kind = Notification.Kind

# The notices other apps register: how each reads. Filled from the apps' ``ready()``.
TEXTS: dict[str, Callable[[Notification], str]] = {}


def isolated(text: str) -> str:
    """``text`` between Unicode's first-strong isolate and its pop: a right-to-left name or
    title cannot reorder the words around it, in a page, a subject line or a plain email."""
    return f"\u2068{text}\u2069"


# How one notice reads, by kind; ``%(who)s`` and ``%(title)s`` are already isolated.
_OWN = {
    Kind.REPLY: gettext_lazy("%(who)s replied in “%(title)s”"),
    Kind.ANSWER: gettext_lazy("%(who)s answered your question “%(title)s”"),
    Kind.ACCEPTED: gettext_lazy("%(who)s accepted your answer on “%(title)s”"),
    Kind.MENTION: gettext_lazy("%(who)s mentioned you in “%(title)s”"),
    Kind.LIKE: gettext_lazy("%(who)s liked your post in “%(title)s”"),
    Kind.HELPFUL: gettext_lazy("%(who)s found your answer on “%(title)s” helpful"),
    Kind.NEW_THREAD: gettext_lazy("%(who)s started “%(title)s” in a space you follow"),
    Kind.FLAG_OUTCOME: gettext_lazy("A host reviewed the post you flagged in “%(title)s”: "
                                    "%(message)s"),
    Kind.WELCOME: gettext_lazy("%(who)s welcomed you: %(message)s"),
    Kind.INTRODUCED: gettext_lazy("%(who)s thinks you can help with “%(title)s”"),
    Kind.COLLECTED: gettext_lazy("%(who)s added your post in “%(title)s” to the collection "
                                 "“%(collection)s”"),
    Kind.FEATURED: gettext_lazy("%(who)s featured your entry to “%(title)s” on the home page"),
    Kind.CURATED: gettext_lazy("%(who)s added “%(title)s” to “%(collection)s”, a collection "
                               "you follow"),
}


def describe(notice: Notification) -> str:
    who = isolated(notice.actor.name) if notice.actor else gettext("Someone")
    title = isolated(notice.thread.title) if notice.thread else gettext("a thread")
    words = {"who": who, "title": title, "message": notice.message,
             "collection": isolated(notice.message)}
    # An owner's ask says why they are asked ("You bought … on …", ``routing._ask``).
    if notice.kind == Kind.ROUTED:
        if notice.message:
            return gettext("%(message)s; a shopper asks: “%(title)s”") % words
        return gettext("Can you help? %(who)s asked “%(title)s”") % words
    if notice.kind == Kind.MODERATED:
        return notice.message or gettext("A host acted on your post in “%(title)s”") % words
    if notice.kind in _OWN:
        return _OWN[notice.kind] % words
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
        return gettext("%(first)s and %(second)s") % {"first": names[0], "second": names[1]}
    others = people - 1
    return ngettext("%(name)s and %(count)s other", "%(name)s and %(count)s others",
                    others) % {"name": names[0], "count": others}


# For a row of several notices of one kind on one thread: what several people did, on one
# post or on several (``_repeated``: what one person, or nobody still on the site, did
# several times).
_SEVERAL = {
    Kind.REPLY: (gettext_lazy("%(who)s replied in “%(title)s”"),) * 2,
    Kind.ANSWER: (gettext_lazy("%(who)s answered your question “%(title)s”"),) * 2,
    Kind.MENTION: (gettext_lazy("%(who)s mentioned you in “%(title)s”"),) * 2,
    Kind.LIKE: (gettext_lazy("%(who)s liked your post in “%(title)s”"),
                gettext_lazy("%(who)s liked your posts in “%(title)s”")),
    Kind.HELPFUL: (gettext_lazy("%(who)s found your answer on “%(title)s” helpful"),
                   gettext_lazy("%(who)s found your answers on “%(title)s” helpful")),
    Kind.ACCEPTED: (gettext_lazy("%(who)s accepted your answer on “%(title)s”"),
                    gettext_lazy("%(who)s accepted your answers on “%(title)s”")),
}


def _repeated(kind, plural: bool, total: int) -> str:
    """``total`` notices of ``kind`` by one person: "3 replies from Ben in …" (on one post
    or on several)."""
    if kind == Kind.REPLY:
        return ngettext("%(count)s reply%(by)s in “%(title)s”",
                        "%(count)s replies%(by)s in “%(title)s”", total)
    if kind == Kind.ANSWER:
        return ngettext("%(count)s answer%(by)s to your question “%(title)s”",
                        "%(count)s answers%(by)s to your question “%(title)s”", total)
    if kind == Kind.MENTION:
        return ngettext("%(count)s mention of you%(by)s in “%(title)s”",
                        "%(count)s mentions of you%(by)s in “%(title)s”", total)
    if kind == Kind.LIKE and not plural:
        return ngettext("%(count)s like%(by)s on your post in “%(title)s”",
                        "%(count)s likes%(by)s on your post in “%(title)s”", total)
    if kind == Kind.LIKE:
        return ngettext("%(count)s like%(by)s on your posts in “%(title)s”",
                        "%(count)s likes%(by)s on your posts in “%(title)s”", total)
    if kind == Kind.HELPFUL and not plural:
        return ngettext("%(count)s helpful vote%(by)s on your answer to “%(title)s”",
                        "%(count)s helpful votes%(by)s on your answer to “%(title)s”", total)
    if kind == Kind.HELPFUL:
        return ngettext("%(count)s helpful vote%(by)s on your answers to “%(title)s”",
                        "%(count)s helpful votes%(by)s on your answers to “%(title)s”", total)
    return ""


def describe_group(notice: Notification | None, *, actors, people: int, total: int,
                   unread: int = 0, posts: int = 1) -> str:
    """A row of ``total`` notices like ``notice`` (its newest) from ``people`` people
    (``actors``: the newest few of them, newest first), ``unread`` of them unread."""
    if notice is None:
        return ""
    if total <= 1 or notice.kind not in _SEVERAL or notice.thread is None:
        return describe(notice)
    several = _SEVERAL[notice.kind]
    who = _who(actors, people) or gettext("Someone")
    title = isolated(notice.thread.title)
    plural = posts > 1
    words = {"who": who, "title": title}
    if people >= 2 or notice.kind == Kind.ACCEPTED:
        return several[1 if plural else 0] % words
    count = gettext("%(count)s new") % {"count": total} if unread == total else str(total)
    by = gettext(" from %(who)s") % {"who": who} if actors else ""
    return _repeated(notice.kind, plural, total) % {"count": count, "by": by, **words}
