"""The thread page: one page of posts by position range (or, for a question read in
another order, by the order's list of posts), with the viewer's own flags."""
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import CharField, OuterRef, Prefetch, Subquery, Value

from community import permissions
from community.commerce.owners import mark_posts
from community.models import Post, Product, SpaceFollow, Tag, Thread, ThreadFollow, User, Vote
from community.prepared import statement

POSTS_PER_PAGE = 20

Order = User.AnswerOrder
DEFAULT_ORDER = Order.HELPFUL

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
    order: str = Order.OLDEST
    level: str = ""  # the viewer's ThreadFollow.level ("": no row)
    space_level: str = ""  # their SpaceFollow.level of the thread's space ("": no row)

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
    which says how many pages it has (1 query + 1 for tags, each with ``product_pk``, the
    product it names, if any: answers by its owners carry a badge)."""
    last = Post.objects.filter(thread=OuterRef("pk")).order_by("-position").values("position")
    named = Product.objects.filter(tag=OuterRef("pk")).order_by("pk").values("pk")
    return (
        Thread.objects.select_related("space").defer("search_vector")
        .annotate(last_position=Subquery(last[:1]))
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.only("name").annotate(
            product_pk=Subquery(named[:1]))))
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


def thread_window(thread: Thread, number: int, *, everything: bool,
                  ids: list[int] | None = None) -> _Window:
    """Posts page ``number`` of ``thread`` as hosts (``everything``) or everyone else see
    it: the same for every such reader, so views keep it in the shared cache. With ``ids``
    (the page's share of :func:`reading_list`), those posts in that order."""
    if ids is not None:
        found = {post.pk: post for post in _cards(Post.objects.filter(pk__in=ids))}
        posts = [found[pk] for pk in ids if pk in found]
        return _marked(thread, _Window(posts=posts, accepted=_accepted(thread, number, posts)))
    low = _first_position(number)
    window = _cards(Post.objects.filter(thread=thread, position__gte=low,
                                        position__lt=low + POSTS_PER_PAGE))
    if not everything:
        window = window.filter(status=Post.Status.PUBLISHED)
    # The LIMIT tells the planner what the range means: without it PostgreSQL guesses
    # thousands of rows for a long thread and starts parallel workers to sort twenty.
    posts = list(window.order_by("position")[:POSTS_PER_PAGE])
    return _marked(thread, _Window(posts=posts, accepted=_accepted(thread, number, posts)))


def _marked(thread, window: _Window) -> _Window:
    """The answers by owners of the thread's product marked (kept with the window: an
    ownership's event names the threads where the owner answered, bumping them)."""
    mark_posts(thread, [*window.posts, window.accepted])
    return window


def _accepted(thread, number, posts) -> Post | None:
    if not (thread.accepted_answer_id and number == 1):
        return None
    return next((p for p in posts if p.pk == thread.accepted_answer_id), None) or (
        _cards(Post.objects.filter(pk=thread.accepted_answer_id)).first())


def order_of(thread: Thread, asked: str) -> str:
    """The order ``thread`` is read in when ``asked`` is wanted: a question's answers in
    any of ``Order``; every other thread, and anything not an order, as it always was."""
    if not thread.is_question:
        return Order.OLDEST
    return asked if asked in Order.values else DEFAULT_ORDER


def reading_list(thread: Thread, order: str, *, everything: bool) -> list[int]:
    """The ids of ``thread``'s posts as hosts (``everything``) or everyone else read them
    in ``order`` (a question's, not ``Order.OLDEST``): the question and the replies under
    it, then the accepted answer and the replies under it, then every other answer with
    its replies, answers by ``helpful_score`` (ties to the earlier) or newest first. A
    reply stays with the post it replies to, however deep, in date order (one with no
    parent stays after the post it was written after). One query of ids and stored
    numbers; views keep the list under the thread's version."""
    rows = list(Post.objects.filter(thread=thread).order_by("position").values_list(
        "pk", "kind", "parent_id", "status", "helpful_score", "created_at"))
    heads = {pk: (kind, score, created) for pk, kind, _, _, score, created in rows
             if kind != Post.Kind.REPLY}
    opening = next((pk for pk, (kind, *_) in heads.items() if kind == Post.Kind.OPENING), None)
    unit_of: dict[int, int | None] = {}
    last = opening
    for pk, kind, parent_id, *_ in rows:  # a parent comes before its replies
        # A reply with no parent (or one gone) reads where it was written: after the post
        # before it.
        last = unit_of[pk] = pk if kind != Post.Kind.REPLY else unit_of.get(parent_id, last)

    def rank(head):
        if head is None or head == opening:
            return (0,)
        if head == thread.accepted_answer_id:
            return (1,)
        _, score, created = heads[head]
        if order == Order.NEWEST:
            return (2, -created.timestamp(), -head)
        return (2, -score, created.timestamp(), head)

    visible = [(rank(unit_of[pk]), n, pk) for n, (pk, _, _, status, _, _) in enumerate(rows)
               if everything or status == Post.Status.PUBLISHED]
    return [pk for *_, pk in sorted(visible)]


def page_count(listing: list) -> int:
    return max(1, -(-len(listing) // POSTS_PER_PAGE))


def page_in(listing: list[int], full: list[int], pk: int) -> int:
    """The page of ``listing`` (what a reader sees) that shows post ``pk``: its own place,
    or (a post only its author and hosts see) the place of the nearest post before it in
    ``full`` (the hosts' list) that the reader sees."""
    place = {post: n for n, post in enumerate(listing)}
    if pk not in place:
        before = None
        for post in full:
            if post == pk:
                break
            before = place.get(post, before)
        return 1 if before is None else before // POSTS_PER_PAGE + 1
    return place[pk] // POSTS_PER_PAGE + 1


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


def _viewer_marks(viewer, thread, ids, low, high, *, held: bool) -> list[tuple[str, int, str]]:
    """The viewer's votes on ``ids``, their follow of ``thread`` and (``held``) their own
    unpublished posts on the page from position ``low``: (mark, id, kind) rows, one query
    for what used to be three round trips on every member's thread page, its SQL prepared
    once per shape (how many ids, held or not; ``community.prepared``)."""
    sql, params = statement(_marks, len(ids), held, values={
        _VIEWER: viewer.pk, _THREAD: thread.pk, _LOW: low, _HIGH: high,
        **{_IDS + i: pk for i, pk in enumerate(ids)}})
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# Stand-ins for the viewer, the thread, the page's first position and the post ids.
_VIEWER, _THREAD, _LOW, _HIGH, _IDS = -(10**9), -2 * 10**9, 2 * 10**9 + 7, 3 * 10**9 + 1, \
    -4 * 10**9


def _marks(how_many: int, held: bool):
    text = CharField()
    marks = [
        Vote.objects.filter(voter_id=_VIEWER, post_id__in=[_IDS + i for i in range(how_many)])
        .order_by().values_list(Value("vote", output_field=text), "post_id", "kind"),
        ThreadFollow.objects.filter(user_id=_VIEWER, thread_id=_THREAD).order_by()
        .values_list(Value("follow", output_field=text), "thread_id", "level"),
        # The viewer's level of the thread's space: what the thread's level menu says when
        # they set none on the thread itself (``engine.notice_levels``).
        SpaceFollow.objects.filter(user_id=_VIEWER, space__threads__pk=_THREAD).order_by()
        .values_list(Value("space", output_field=text), "space_id", "level"),
    ]
    if held:
        marks.append(
            Post.objects.filter(thread_id=_THREAD, author_id=_VIEWER, position__gte=_LOW,
                                position__lt=_HIGH)
            .exclude(status=Post.Status.PUBLISHED).order_by()
            .values_list(Value("own", output_field=text), "pk", Value("", output_field=text)))
    return marks[0].union(*marks[1:], all=True)


def thread_page(*, thread: Thread, page: int, viewer, window=thread_window,
                order: str = Order.OLDEST, listing=reading_list) -> ThreadPage:
    """Posts ``page`` of ``thread``. Positions are dense per thread, so a page is an index
    range, not an OFFSET: the last page of a 100,000-post thread costs what the first does.
    Deleted posts keep their position (and show as deleted) so permalinks never move.

    A question read in another ``order`` (:func:`order_of`) is paged through its
    :func:`reading_list` (``listing``, called like it), which views keep.

    The page as hosts or as everyone else sees it comes from ``window`` (called like
    :func:`thread_window`, which the reading view keeps under the thread's version); the
    viewer's own votes, follow and held posts are read for each request."""
    staff = permissions.is_staff_host(viewer)
    ordered = order != Order.OLDEST
    if ordered:
        shown = listing(thread, order, everything=staff)
        num_pages = page_count(shown)
        number = min(max(page, 1), num_pages)
        low = _first_position(number)
        shared = window(thread, number, everything=staff,
                        ids=shown[low - 1:low - 1 + POSTS_PER_PAGE])
    else:
        num_pages = last_page(thread)
        number = min(max(page, 1), num_pages)  # before the cache: ?page=N past the end is last
        shared = window(thread, number, everything=staff)
    posts = shared.posts
    voted: set[tuple[int, str]] = set()
    level = space_level = ""
    if permissions.is_member(viewer):
        low = _first_position(number)
        ids = [p.pk for p in posts] + ([shared.accepted.pk] if shared.accepted else [])
        own: list[int] = []
        # In another order a held post of the viewer's may belong on any page.
        low, high = (1, 2**31 - 1) if ordered else (low, low + POSTS_PER_PAGE)
        for mark, pk, kind in _viewer_marks(viewer, thread, ids, low, high, held=not staff):
            if mark == "vote":
                voted.add((pk, kind))
            elif mark == "follow":
                level = kind
            elif mark == "space":
                space_level = kind
            else:
                own.append(pk)
        if own:  # held and hidden posts: their author sees them (marked), nobody else does
            posts = _with_own(thread, posts, own, ordered=ordered, order=order, shown=shown
                              if ordered else None, number=number, listing=listing)
    return ThreadPage(
        thread=thread, posts=posts, accepted=shared.accepted, number=number,
        num_pages=num_pages, voted=voted, following=level in ThreadFollow.FOLLOWING,
        order=order, level=level, space_level=space_level,
    )


def _with_own(thread, posts, own, *, ordered, order, shown, number, listing) -> list[Post]:
    """``posts`` with the viewer's own held posts in their places: by position, or in
    another order after the post they follow in the hosts' list."""
    mine = list(_cards(Post.objects.filter(pk__in=own)))
    mark_posts(thread, mine)
    if not ordered:
        return sorted(posts + mine, key=lambda post: post.position)
    full = listing(thread, order, everything=True)
    result = list(posts)
    for post in sorted(mine, key=lambda p: full.index(p.pk) if p.pk in full else 0):
        if page_in(shown, full, post.pk) != number:
            continue
        before = set(full[:full.index(post.pk)]) if post.pk in full else set()
        at = max((n + 1 for n, p in enumerate(result) if p.pk in before), default=0)
        result.insert(at, post)
    return result
