"""How closely a member follows a thread or a space: Watching, Normal or Muted (and, for a
space, Watching first post). The level lives on the member's follow row
(``ThreadFollow.level``, ``SpaceFollow.level``): one record of what a member is subscribed
to, so following a thread *is* watching it and following a space is watching its first
posts.

What each level brings (``notifications`` offers, this module decides):

- thread **Watching**: every new post in the thread (REPLY), besides what Normal brings.
  Following a thread, starting it or posting in it sets Watching (as following always
  did), unless the member chose another level for it.
- thread **Normal**: replies to your posts, answers to your question, mentions of you, the
  accepted answer and votes on your posts. No row at all is Normal too, unless the space
  says otherwise.
- thread **Muted**: nothing from the thread, a direct @mention included, except what is
  ``site_fixed`` (host decisions about your posts or account, which are not fanned out
  here at all). Discourse does the same; we follow it because muting is what a member
  does to leave a conversation that keeps pulling them back, and a mention is the easiest
  way to pull: letting it through would make Mute mean "mute unless somebody insists".
  The mention is still in the thread when they read it.
- space **Watching**: every new thread and every post in the space's threads.
- space **Watching first post**: every new thread (NEW_THREAD), what "follow a space" was.
- space **Normal**: the space adds nothing; each thread's level decides.
- space **Muted**: nothing from the space's threads, unless the member set a level on the
  thread itself: the narrower level (thread over space) always wins.

Everything here is read in a constant number of queries per batch of events, whatever the
number of watchers (``Levels``).
"""
from collections.abc import Iterable

from community.models import SpaceFollow, Thread, ThreadFollow

THREAD = ThreadFollow.Level
SPACE = SpaceFollow.Level


def thread_level(thread_row: str | None, space_row: str | None) -> str:
    """The level in effect for one member in one thread, from their thread row's level
    and their space row's level (either None: no row). The thread's own row wins."""
    if thread_row:
        return thread_row
    if space_row == SPACE.WATCHING:
        return THREAD.WATCHING
    if space_row == SPACE.MUTED:
        return THREAD.MUTED
    return THREAD.NORMAL


def hears_new_threads(space_row: str | None) -> bool:
    """Does a member with this space level hear of every new thread in the space?"""
    return space_row in (SPACE.WATCHING, SPACE.WATCHING_FIRST)


class Levels:
    """Every thread and space row of the threads of a batch: who watches what, and who
    muted what. Read on first use (a batch that tells nobody anything costs nothing), in
    two queries, three when some threads' spaces are not known yet."""

    def __init__(self, thread_spaces: dict[int, int], *, more_threads: Iterable[int] = ()):
        self._known = dict(thread_spaces)
        self._more = {pk for pk in more_threads if pk and pk not in self._known}
        self._loaded = False

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        spaces = self._known
        if self._more:
            spaces.update(Thread.objects.filter(pk__in=self._more)
                          .values_list("pk", "space_id"))
        self.space_of = spaces
        self.threads: dict[int, dict[int, str]] = {}
        self.spaces: dict[int, dict[int, str]] = {}
        if spaces:
            for thread_id, user_id, level in ThreadFollow.objects.filter(
                    thread_id__in=spaces).order_by("pk").values_list("thread_id", "user_id",
                                                                     "level"):
                self.threads.setdefault(thread_id, {})[user_id] = level
            for space_id, user_id, level in SpaceFollow.objects.filter(
                    space_id__in=set(spaces.values())).order_by("pk").values_list(
                    "space_id", "user_id", "level"):
                self.spaces.setdefault(space_id, {})[user_id] = level

    def level(self, user_id: int, thread_id: int) -> str:
        self._load()
        space_id = self.space_of.get(thread_id)
        return thread_level(self.threads.get(thread_id, {}).get(user_id),
                            self.spaces.get(space_id, {}).get(user_id))

    def watchers(self, thread_id: int) -> list[int]:
        """Everybody for whom every new post in the thread is a notice (in the order their
        rows were read: the thread's, then the space's)."""
        self._load()
        space_id = self.space_of.get(thread_id)
        rows = self.threads.get(thread_id, {})
        return ([pk for pk, level in rows.items() if level == THREAD.WATCHING]
                + [pk for pk, level in self.spaces.get(space_id, {}).items()
                   if level == SPACE.WATCHING and pk not in rows])

    def new_thread_watchers(self, thread_id: int) -> list[int]:
        """Everybody told of a new thread: its space's watchers (all posts or first
        posts), but a member who muted this thread itself."""
        self._load()
        rows = self.threads.get(thread_id, {})
        return [pk for pk, level in self.spaces.get(self.space_of.get(thread_id), {}).items()
                if hears_new_threads(level) and rows.get(pk, THREAD.WATCHING) != THREAD.MUTED]

    def muted(self, user_id: int, thread_id: int | None) -> bool:
        return bool(thread_id) and self.level(user_id, thread_id) == THREAD.MUTED
