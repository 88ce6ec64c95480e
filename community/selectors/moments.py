"""Reads of moments: the list, a moment's gallery, the home page's picks, and reach."""
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone

from community import words
from community.models import Moment, MomentEntry, Post
from community.selectors.paging import Slice, page_slice

LIST_PAGE = 20
GALLERY_PAGE = 30
HOME_PICKS = 6
FEATURED_ON_PAGE = 6


class Sort:
    NEWEST, LOVED = "newest", "loved"
    ALL = ((NEWEST, "Newest"), (LOVED, "Most loved"))
    NAMES = frozenset(name for name, _ in ALL)


def _shown_moments():
    return Moment.objects.filter(thread__is_deleted=False, thread__is_hidden=False,
                                 thread__merged_into__isnull=True)


def moment_list(*, page: int = 1, now=None) -> Slice:
    """Open moments first (closing soonest first), then upcoming (opening soonest), then
    closed (latest first); one query."""
    now = now or timezone.now()
    rank = Case(When(opens_at__gt=now, then=Value(1)), When(closes_at__lte=now, then=Value(2)),
                default=Value(0), output_field=IntegerField())
    # Within a group: the nearest time first (seconds from now, as an interval's epoch).
    queryset = (_shown_moments().select_related("space", "cover")
                .annotate(rank=rank)
                .order_by("rank",
                          Case(When(rank=0, then=F("closes_at")),
                               When(rank=1, then=F("opens_at"))).asc(nulls_last=True),
                          F("closes_at").desc(), "-pk"))
    return page_slice(queryset, page=page, size=LIST_PAGE)


def _entries(moment_id: int | None = None):
    """Published entries still shown, with what a gallery tile needs (no query per tile)."""
    queryset = MomentEntry.objects.filter(post__status=Post.Status.PUBLISHED,
                                          post__is_deleted=False)
    if moment_id is not None:
        queryset = queryset.filter(moment_id=moment_id)
    return queryset.select_related("post", "post__author", "image").annotate(
        reply_count=Count("post__replies", filter=Q(post__replies__is_deleted=False,
                                                    post__replies__status=Post.Status.PUBLISHED)))


@dataclass
class Gallery(Slice):
    moment: Moment | None = None
    sort: str = Sort.NEWEST
    sorts: tuple = Sort.ALL
    featured: list = field(default_factory=list)


def gallery(moment: Moment, *, sort: str = Sort.NEWEST, page: int = 1) -> Gallery:
    """A page of ``moment``'s entries, newest first or most loved (likes and helpful votes)
    first, and its featured entries (two queries however many entries)."""
    sort = sort if sort in Sort.NAMES else Sort.NEWEST
    queryset = _entries(moment.pk)
    if sort == Sort.LOVED:
        queryset = queryset.annotate(
            love=F("post__like_count") + F("post__helpful_count")
        ).order_by("-love", "-created_at", "-pk")
    else:
        queryset = queryset.order_by("-created_at", "-pk")
    featured = list(_entries(moment.pk).filter(featured_at__isnull=False)
                    .order_by("-featured_at")[:FEATURED_ON_PAGE])
    return page_slice(queryset, page=page, size=GALLERY_PAGE, kind=Gallery, moment=moment,
                      sort=sort, featured=featured)


def home_picks(limit: int = HOME_PICKS) -> list[MomentEntry]:
    """Featured entries for the home page's "From the community" strip (one query)."""
    return list(
        _entries().filter(featured_at__isnull=False, moment__thread__is_deleted=False,
                          moment__thread__is_hidden=False)
        .select_related("moment").order_by("-featured_at")[:limit])


def reach(*, limit: int = 10) -> list[dict]:
    """Each of the latest moments' reach (two queries): entries, distinct members who
    entered, the share of entries by members (not staff: ``words.member_post``, partners
    counted as members as the dashboard does), and replies between members under the
    entries (a member answering another member's entry)."""
    moments = list(
        _shown_moments().order_by("-opens_at", "-pk")
        .annotate(
            entries_n=Count("entries", filter=Q(entries__post__is_deleted=False,
                                                entries__post__status=Post.Status.PUBLISHED)),
            member_entries=Count("entries", filter=Q(
                entries__post__is_deleted=False, entries__post__status=Post.Status.PUBLISHED)
                & words.member_post("entries__post__author_role")),
            members=Count("entries__post__author", distinct=True, filter=Q(
                entries__post__is_deleted=False, entries__post__status=Post.Status.PUBLISHED)
                & words.member_post("entries__post__author_role")),
        )[:limit])
    replies = dict(
        Post.objects.filter(
            parent__moment_entry__moment__in=[m.pk for m in moments], is_deleted=False,
            status=Post.Status.PUBLISHED)
        .exclude(words.staff_post()).exclude(words.staff_post("parent__author_role"))
        .exclude(author=F("parent__author"))
        .values("parent__moment_entry__moment").annotate(n=Count("pk"))
        .values_list("parent__moment_entry__moment", "n"))
    return [{
        "moment": m, "entries": m.entries_n, "members": m.members,
        "member_share": (m.member_entries / m.entries_n) if m.entries_n else None,
        "member_replies": replies.get(m.pk, 0),
    } for m in moments]
