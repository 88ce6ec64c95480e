"""The thread page: one page of posts by position range, with the viewer's own flags."""
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import CharField, OuterRef, Prefetch, Subquery, Value

from community import permissions
from community.models import Post, Tag, Thread, ThreadFollow, Vote
from community.prepared import statement

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
    """The thread with what its header needs and ``last_position``, its last post's place,
    which says how many pages it has (1 query + 1 for tags)."""
    last = Post.objects.filter(thread=OuterRef("pk")).order_by("-position").values("position")
    return (
        Thread.objects.select_related("space").defer("search_vector")
        .annotate(last_position=Subquery(last[:1]))
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.only("name")))
        .get(pk=pk)
    )


def page_of_position(position: int) -> int:
    return (max(position, 1) - 1) // POSTS_PER_PAGE + 1


def last_page(thread: Thread) -> int:
    """The number of ``thread``'s last page (a thread from :func:`thread_get`)."""
    return page_of_position(thread.last_position or 1)


@dataclass
class _Window:
    """One page of a thread as every reader of one kind (hosts, everyone else) sees it."""
    posts: list[Post]
    accepted: Post | None


def _first_position(number: int) -> int:
    return (number - 1) * POSTS_PER_PAGE + 1


def thread_window(thread: Thread, number: int, *, everything: bool) -> _Window:
    """Posts page ``number`` of ``thread`` as hosts (``everything``) or everyone else see
    it: the same for every such reader, so views keep it in the shared cache."""
    low = _first_position(number)
    window = _cards(Post.objects.filter(thread=thread, position__gte=low,
                                        position__lt=low + POSTS_PER_PAGE))
    if not everything:
        window = window.filter(status=Post.Status.PUBLISHED)
    # The LIMIT tells the planner what the range means: without it PostgreSQL guesses
    # thousands of rows for a long thread and starts parallel workers to sort twenty.
    posts = list(window.order_by("position")[:POSTS_PER_PAGE])
    accepted = None
    if thread.accepted_answer_id and number == 1:
        accepted = next((p for p in posts if p.pk == thread.accepted_answer_id), None) or (
            _cards(Post.objects.filter(pk=thread.accepted_answer_id)).first())
    return _Window(posts=posts, accepted=accepted)


def _cards(posts):
    """What a post card shows: the post, its author and the post it quotes (no password
    hashes or emails: windows are kept in the shared cache)."""
    return posts.select_related(*_POST_RELATED).only(*CARD_FIELDS)


# What a card shows, loaded by ``_cards`` and named by the card's cache key
# (``community.pages.cards._key``): a new field on the card is added here and nowhere else.
CARD_FIELDS = (
    "thread_id", "kind", "author_id", "author_role", "parent_id", "position", "body_html",
    "created_at", "edited_at", "is_deleted", "like_count", "helpful_count", "status",
    "held_reason", "staff_edited_at", "render_version",
    "author__username", "author__display_name", "author__avatar",
    "parent__is_deleted", "parent__status", "parent__body", "parent__author_id",
    "parent__author__username", "parent__author__display_name",
)


def _viewer_marks(viewer, thread, ids, low, *, held: bool) -> list[tuple[str, int, str]]:
    """The viewer's votes on ``ids``, their follow of ``thread`` and (``held``) their own
    unpublished posts on the page from position ``low``: (mark, id, kind) rows, one query
    for what used to be three round trips on every member's thread page, its SQL prepared
    once per shape (how many ids, held or not; ``community.prepared``)."""
    sql, params = statement(_marks, len(ids), held, values={
        _VIEWER: viewer.pk, _THREAD: thread.pk, _LOW: low,
        _LOW + POSTS_PER_PAGE: low + POSTS_PER_PAGE,
        **{_IDS + i: pk for i, pk in enumerate(ids)}})
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# Stand-ins for the viewer, the thread, the page's first position and the post ids.
_VIEWER, _THREAD, _LOW, _IDS = -(10**9), -2 * 10**9, 2 * 10**9 + 7, -4 * 10**9


def _marks(how_many: int, held: bool):
    text = CharField()
    marks = [
        Vote.objects.filter(voter_id=_VIEWER, post_id__in=[_IDS + i for i in range(how_many)])
        .order_by().values_list(Value("vote", output_field=text), "post_id", "kind"),
        ThreadFollow.objects.filter(user_id=_VIEWER, thread_id=_THREAD).order_by()
        .values_list(Value("follow", output_field=text), "thread_id",
                     Value("", output_field=text)),
    ]
    if held:
        marks.append(
            Post.objects.filter(thread_id=_THREAD, author_id=_VIEWER, position__gte=_LOW,
                                position__lt=_LOW + POSTS_PER_PAGE)
            .exclude(status=Post.Status.PUBLISHED).order_by()
            .values_list(Value("own", output_field=text), "pk", Value("", output_field=text)))
    return marks[0].union(*marks[1:], all=True)


def thread_page(*, thread: Thread, page: int, viewer, window=thread_window) -> ThreadPage:
    """Posts ``page`` of ``thread``. Positions are dense per thread, so a page is an index
    range, not an OFFSET: the last page of a 100,000-post thread costs what the first does.
    Deleted posts keep their position (and show as deleted) so permalinks never move.

    The page as hosts or as everyone else sees it comes from ``window`` (called like
    :func:`thread_window`, which the reading view keeps under the thread's version); the
    viewer's own votes, follow and held posts are read for each request."""
    staff = permissions.is_staff_host(viewer)
    num_pages = last_page(thread)
    number = min(max(page, 1), num_pages)  # before the cache: ?page=N past the end is the last
    shared = window(thread, number, everything=staff)
    posts = shared.posts
    voted: set[tuple[int, str]] = set()
    following = False
    if permissions.is_member(viewer):
        low = _first_position(number)
        ids = [p.pk for p in posts] + ([shared.accepted.pk] if shared.accepted else [])
        own: list[int] = []
        for mark, pk, kind in _viewer_marks(viewer, thread, ids, low, held=not staff):
            if mark == "vote":
                voted.add((pk, kind))
            elif mark == "follow":
                following = True
            else:
                own.append(pk)
        if own:  # held and hidden posts: their author sees them (marked), nobody else does
            posts = sorted(posts + list(_cards(Post.objects.filter(pk__in=own))),
                           key=lambda post: post.position)
    return ThreadPage(
        thread=thread, posts=posts, accepted=shared.accepted, number=number,
        num_pages=num_pages, voted=voted, following=following,
    )
