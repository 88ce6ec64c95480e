"""The thread page: one page of posts by position range, with the viewer's own flags."""
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from community import permissions
from community.models import Post, Tag, Thread, ThreadFollow, Vote

POSTS_PER_PAGE = 20

_POST_RELATED = ("author", "parent", "parent__author")


@dataclass
class ThreadPage:
    thread: Thread
    posts: list[Post]
    accepted: Post | None
    number: int
    num_pages: int
    voted: set[tuple[int, str]] = field(default_factory=set)
    following: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def reading_order(self) -> list[tuple[Post, bool]]:
        """(post, shown as the accepted answer): on page one the accepted answer comes
        second, right after the question, and not again in its own place."""
        if not (self.accepted and self.number == 1):
            return [(post, False) for post in self.posts]
        rest = [(post, False) for post in self.posts if post.pk != self.accepted.pk]
        return rest[:1] + [(self.accepted, True)] + rest[1:]

    @property
    def page_links(self) -> list[int | None]:
        """The first and last pages and two either side of this one; None for a gap. Worked
        out here: a template loop over every page of a 250-page thread cost more than the
        posts."""
        shown = {1, self.num_pages, *range(self.number - 2, self.number + 3)}
        links: list[int | None] = []
        for n in sorted(p for p in shown if 1 <= p <= self.num_pages):
            if links and n - (links[-1] or 0) > 1:
                links.append(None)
            links.append(n)
        return links


def thread_get(pk: int) -> Thread:
    """The thread with what its header needs (1 query + 1 for tags)."""
    return (
        Thread.objects.select_related("space", "author")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.only("name")))
        .get(pk=pk)
    )


def page_of_position(position: int) -> int:
    return (max(position, 1) - 1) // POSTS_PER_PAGE + 1


def thread_page(*, thread: Thread, page: int, viewer) -> ThreadPage:
    """Posts ``page`` of ``thread``. Positions are dense per thread, so a page is an index
    range, not an OFFSET: the last page of a 100,000-post thread costs what the first does.
    Deleted posts keep their position (and show as deleted) so permalinks never move."""
    last_position = (
        Post.objects.filter(thread=thread).order_by("-position").values_list("position", flat=True)
        .first() or 1
    )
    num_pages = page_of_position(last_position)
    number = min(max(page, 1), num_pages)
    low = (number - 1) * POSTS_PER_PAGE + 1
    window = Post.objects.filter(thread=thread, position__gte=low,
                                 position__lt=low + POSTS_PER_PAGE)
    if not permissions.is_staff_host(viewer):
        # Held and hidden posts: their author sees them (marked), nobody else does.
        mine = Q(author_id=viewer.pk) if permissions.is_member(viewer) else Q(pk__in=[])
        window = window.filter(Q(status=Post.Status.PUBLISHED) | mine)
    # The LIMIT tells the planner what the range means: without it PostgreSQL guesses
    # thousands of rows for a long thread and starts parallel workers to sort twenty.
    posts = list(window.select_related(*_POST_RELATED).order_by("position")[:POSTS_PER_PAGE])
    accepted = None
    if thread.accepted_answer_id and number == 1:
        accepted = next((p for p in posts if p.pk == thread.accepted_answer_id), None) or (
            Post.objects.select_related(*_POST_RELATED).filter(pk=thread.accepted_answer_id)
            .first()
        )
    voted: set[tuple[int, str]] = set()
    following = False
    if permissions.is_member(viewer):
        ids = [p.pk for p in posts] + ([accepted.pk] if accepted else [])
        voted = set(
            Vote.objects.filter(voter=viewer, post_id__in=ids).values_list("post_id", "kind")
        )
        following = ThreadFollow.objects.filter(user=viewer, thread=thread).exists()
    return ThreadPage(
        thread=thread, posts=posts, accepted=accepted, number=number, num_pages=num_pages,
        voted=voted, following=following,
    )
