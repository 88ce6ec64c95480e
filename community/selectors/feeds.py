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


def feed_page(*, tab: str, page: int = 1, space: Space | None = None, tag: Tag | None = None,
              size: int = PAGE_SIZE) -> FeedPage:
    """One page of a thread list, of a space or a tag or of everything (2 queries:
    threads, their tags)."""
    tab = tab if tab in Tab.NAMES else Tab.CONVERSATIONS
    qs = _base()
    if space is not None:
        qs = qs.filter(space=space)
    if tag is not None:
        qs = qs.filter(tags=tag)
    return page_slice(_ordered(qs, tab), page=page, size=size, kind=FeedPage, tab=tab)


TAGS_PAGE_SIZE = 60


def tags_page(*, page: int = 1, size: int = TAGS_PAGE_SIZE) -> Slice:
    """One page of the tags in use, the most used first (1 query): each with ``uses``, the
    threads a reader can open that carry it."""
    from django.db.models import Count, Q

    shown = Q(threads__is_deleted=False, threads__is_hidden=False)
    qs = (Tag.objects.annotate(uses=Count("threads", filter=shown)).filter(uses__gt=0)
          .order_by("-uses", "name"))
    return page_slice(qs, page=page, size=size)


def tag_named(name: str) -> Tag | None:
    """The tag called ``name``, or the one a synonym of that name stands for (1-2 queries)."""
    from community.models import TagSynonym

    tag = Tag.objects.filter(name=name).first()
    if tag is None:
        synonym = TagSynonym.objects.select_related("tag").filter(name=name).first()
        tag = synonym.tag if synonym else None
    return tag


def tags_followed(user) -> set[int]:
    """The ids of the tags ``user`` follows (1 query)."""
    from community.models import TagFollow

    return set(TagFollow.objects.filter(user=user).values_list("tag_id", flat=True))


def tag_uses(tag: Tag) -> int:
    """The threads a reader can open that carry ``tag`` (1 query)."""
    return tag.threads.filter(is_deleted=False, is_hidden=False).count()


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


FOR_YOU_SIZE = 10
YOUR_QUESTIONS_SIZE = 10


def for_you(user, *, size: int = FOR_YOU_SIZE) -> list[Thread]:
    """A member's "For you" list (2 queries: threads, their tags): the newest activity in
    the spaces and tags they follow, announcements left to the host's slot. Empty when they
    follow nothing."""
    from django.db.models import Q

    from community.models import SpaceFollow, TagFollow

    spaces = SpaceFollow.objects.filter(user=user, level__in=SpaceFollow.FOLLOWING).values(
        "space_id")
    tags = TagFollow.objects.filter(user=user).values("tag_id")
    followed = Thread.objects.filter(Q(space__in=spaces) | Q(tags__in=tags)).values("pk")
    return list(
        _base().filter(pk__in=followed).exclude(kind=Thread.Kind.ANNOUNCEMENT)
        .order_by("-last_activity_at", "-id")[:size]
    )


def follows_anything(user) -> bool:
    """The member follows at least one space or tag (1 or 2 queries)."""
    from community.models import SpaceFollow, TagFollow

    return (SpaceFollow.objects.filter(user=user, level__in=SpaceFollow.FOLLOWING).exists()
            or TagFollow.objects.filter(user=user).exists())


def your_questions(user, *, size: int = YOUR_QUESTIONS_SIZE) -> list[Thread]:
    """The member's own questions, newest first, with their answer counts and whether one
    is accepted (1 query). Held or hidden ones show too: they are the asker's."""
    return list(
        Thread.objects.filter(author=user, kind=Thread.Kind.QUESTION, is_deleted=False)
        .only("id", "title", "slug", "kind", "created_at", "answer_count",
              "accepted_answer_id", "is_hidden")
        .order_by("-created_at", "-id")[:size]
    )


def welcome_choices(user, *, tags: int = 12) -> dict:
    """What the welcome offers (4 queries): every space, the most used tags and any the
    member follows already, and which of them the member follows."""
    from django.db.models import Count, Q

    from community.models import SpaceFollow, TagFollow

    followed_tags = set(TagFollow.objects.filter(user=user).values_list("tag_id", flat=True))
    # The most used tags, and every tag the member follows already (so it can be unticked).
    offered = list(
        Tag.objects.annotate(
            uses=Count("threads", filter=Q(threads__is_deleted=False), distinct=True),
            followed=Count("follows", filter=Q(follows__user=user), distinct=True))
        .filter(Q(uses__gt=0) | Q(followed__gt=0))
        .order_by("-followed", "-uses", "name")[:tags + len(followed_tags)]
    )
    kept, others = [], 0
    for tag in offered:
        if tag.pk in followed_tags or others < tags:
            kept.append(tag)
            others += tag.pk not in followed_tags
    return {
        "spaces": list(Space.objects.all()),
        "tags": sorted(kept, key=lambda tag: tag.name),
        "followed_spaces": set(SpaceFollow.objects.filter(
            user=user, level__in=SpaceFollow.FOLLOWING).values_list("space_id", flat=True)),
        "followed_tags": followed_tags,
    }


def intro_thread() -> Thread | None:
    """The thread where newcomers introduce themselves, if the community has one: the
    newest open, visible discussion whose title asks for introductions (1 query)."""
    return (Thread.objects.filter(is_deleted=False, is_hidden=False, is_locked=False,
                                  kind=Thread.Kind.DISCUSSION, title__icontains="introduce")
            .only("id", "title", "slug").order_by("-is_pinned", "-created_at").first())
