"""Thread lists: the home tabs and space pages, ordered by stored, indexed columns."""
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from community.models import Space, Tag, Thread
from community.selectors.paging import Slice, page_slice

PAGE_SIZE = 25
MAX_PAGE = 400


class Tab:
    CONVERSATIONS = "conversations"
    LATEST = "latest"
    UNANSWERED = "unanswered"
    SOLVED = "solved"

    ALL = [
        (CONVERSATIONS, "Conversations", "Where members talk with each other"),
        (LATEST, "Latest", "Most recent activity first"),
        (UNANSWERED, "Unanswered", "Questions nobody has answered yet"),
        (SOLVED, "Solved", "Questions with an accepted answer"),
    ]
    NAMES = {t[0] for t in ALL}


@dataclass
class FeedPage(Slice):
    tab: str = Tab.CONVERSATIONS

    @property
    def threads(self) -> list[Thread]:
        return self.items


def _base() -> QuerySet:
    return (
        Thread.objects.filter(is_deleted=False, is_hidden=False)
        .select_related("space", "author")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.only("name")))
        .only(
            "id", "title", "slug", "kind", "space__name", "space__slug", "author__username",
            "author__display_name", "author__avatar", "author__is_host",
            "author__is_superuser", "author_is_staff", "created_at", "last_activity_at",
            "post_count", "answer_count", "like_count", "accepted_answer_id", "is_pinned",
            "is_locked", "social_score", "member_participants", "member_replies",
            "peer_answers", "member_votes", "staff_posts", "scored_posts",
        )
    )


def _ordered(qs: QuerySet, tab: str) -> QuerySet:
    if tab == Tab.LATEST:
        return qs.exclude(kind=Thread.Kind.ANNOUNCEMENT).order_by("-last_activity_at", "-id")
    if tab == Tab.UNANSWERED:
        return qs.filter(kind=Thread.Kind.QUESTION, answer_count=0).order_by("-created_at", "-id")
    if tab == Tab.SOLVED:
        return qs.filter(accepted_answer__isnull=False).order_by("-last_activity_at", "-id")
    # Conversations: the stored social score; until the engine has scored anything the
    # score is 0 everywhere and latest activity decides.
    return qs.exclude(kind=Thread.Kind.ANNOUNCEMENT).order_by(
        "-social_score", "-last_activity_at", "-id"
    )


def page_number(raw) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def feed_page(*, tab: str, page: int = 1, space: Space | None = None,
              size: int = PAGE_SIZE) -> FeedPage:
    """One page of a thread list (2 queries: threads, their tags)."""
    tab = tab if tab in Tab.NAMES else Tab.CONVERSATIONS
    qs = _base()
    if space is not None:
        qs = qs.filter(space=space)
    return page_slice(_ordered(qs, tab), page=page, size=size, kind=FeedPage, tab=tab)


def host_announcements(*, space: Space | None = None, limit: int = 5) -> list[Thread]:
    """The "From the host" slot (1 query): pinned threads of the space, featured members'
    threads and the newest announcements; announcements never enter the conversation feed."""
    from django.db.models import Q

    wanted = Q(kind=Thread.Kind.ANNOUNCEMENT) | Q(is_featured=True) | Q(is_pinned=True)
    qs = Thread.objects.filter(wanted, is_deleted=False, is_hidden=False)
    if space is not None:
        qs = qs.filter(space=space)
    else:
        qs = qs.filter(Q(kind=Thread.Kind.ANNOUNCEMENT) | Q(is_featured=True))
    return list(
        qs.select_related("author").only(
            "id", "title", "slug", "kind", "created_at", "is_pinned", "is_featured",
            "author__username", "author__display_name",
        ).order_by("-is_pinned", "-is_featured", "-created_at")[:limit]
    )


def spaces_list() -> list[Space]:
    """Every space, in order: the same for everyone until a space changes, which bumps the
    "site" version (``community.signals``), under which views keep it."""
    return list(Space.objects.all())
