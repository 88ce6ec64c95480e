"""Reads of curation: a collection's page, the lists of collections, a member's own."""
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils import timezone

from community import permissions
from community.models import Collection, CollectionFollow, CollectionItem
from community.models.collections import RESTORE_FOR
from community.selectors.paging import Slice, page_slice

LIST_PAGE = 20
ITEMS_PAGE = 50


def _counted(queryset):
    return queryset.select_related("owner").annotate(
        item_count=Count("items", distinct=True))


@dataclass
class Entry:
    """One item as a reader sees it: what it is, where it leads, or that it is gone."""

    item: CollectionItem
    what: str  # question, discussion, announcement, answer, reply
    title: str = ""
    excerpt: str = ""  # a post's rendered HTML (the page shows its words only)
    url: str = ""
    author: object = None
    visible: bool = True


@dataclass
class CollectionPage(Slice):
    collection: Collection | None = None
    entries: list = field(default_factory=list)
    follower_count: int = 0
    following: bool = False
    total: int = 0


def _entry(viewer, item: CollectionItem) -> Entry:
    if item.post_id:
        post = item.post
        thread = post.thread
        visible = permissions.can_see_post(viewer, post, thread)
        return Entry(item=item, what="reply" if post.kind == "reply" else "answer",
                     title=thread.title, excerpt=post.body_html, url=post.get_absolute_url(),
                     author=post.author, visible=visible)
    thread = item.thread
    visible = permissions.can_view_thread(viewer, thread) and not thread.is_deleted
    return Entry(item=item, what=thread.kind, title=thread.title,
                 url=thread.get_absolute_url(), author=thread.author, visible=visible)


def collection_page(collection: Collection, *, viewer, page: int = 1) -> CollectionPage:
    """The items of ``collection`` in their order with what each is (4 queries: items with
    their threads, posts and authors, the count, the followers, the viewer's follow)."""
    items = (CollectionItem.objects.filter(collection=collection)
             .select_related("thread", "thread__author", "post", "post__author",
                             "post__thread"))
    sliced = page_slice(items, page=page, size=ITEMS_PAGE, kind=CollectionPage,
                        collection=collection)
    sliced.entries = [_entry(viewer, item) for item in sliced.items]
    sliced.total = (len(sliced.items) if page == 1 and not sliced.has_next
                    else CollectionItem.objects.filter(collection=collection).count())
    sliced.follower_count = CollectionFollow.objects.filter(collection=collection).count()
    sliced.following = bool(getattr(viewer, "is_authenticated", False)) and (
        CollectionFollow.objects.filter(collection=collection, user=viewer).exists())
    return sliced


def public_collections(*, page: int = 1) -> Slice:
    """Every public collection: the featured ones first (newest feature first), then the
    most recently changed (1 query)."""
    queryset = (_counted(Collection.objects.live().filter(is_public=True))
                .order_by(F("featured_at").desc(nulls_last=True), "-updated_at", "-pk"))
    return page_slice(queryset, page=page, size=LIST_PAGE)


def member_collections(member, *, viewer, page: int = 1) -> Slice:
    """``member``'s collections as ``viewer`` may see them: all for the owner, the public
    ones for everyone else (1 query)."""
    queryset = Collection.objects.live().filter(owner=member)
    if not (permissions.is_member(viewer) and viewer.pk == member.pk):
        queryset = queryset.filter(is_public=True)
    return page_slice(_counted(queryset).order_by("-updated_at", "-pk"), page=page,
                      size=LIST_PAGE)


def restorable_collections(member) -> list[Collection]:
    """The member's deleted collections that can still be restored, newest first."""
    return list(Collection.objects.filter(
        owner=member, deleted_at__gt=timezone.now() - RESTORE_FOR).order_by("-deleted_at"))


def collections_for_adding(member, *, thread_id=None, post_id=None) -> list[Collection]:
    """The member's collections to choose from, each marked ``has_it`` when the thread or
    post is in it already (1 query)."""
    target = Q(items__thread_id=thread_id) if thread_id else Q(items__post_id=post_id)
    return list(Collection.objects.live().filter(owner=member)
                .annotate(has_it=Count("items", filter=target))
                .order_by("-updated_at", "-pk"))
