"""The API's reads: the same visibility as the pages, as queries (a cursor page cannot
filter rows in Python). Each is the query form of a predicate of ``community.permissions``,
and tests/api/test_visibility.py checks that they agree row by row."""
from django.db.models import Prefetch, Q

from community import permissions
from community.models import Post, Tag, Thread

#: What ``serializers.ThreadSerializer`` shows (and the cursor orders by), and nothing
#: else: a thread row and its author's are wide, and loading all of them for a page of 20
#: cost the list more than its queries did (``make bench``: "api threads").
THREAD_FIELDS = (
    "id", "title", "slug", "kind", "created_at", "last_activity_at", "post_count",
    "answer_count", "like_count", "accepted_answer_id", "is_pinned", "is_locked", "closed_at",
    "space__slug", "space__name", "author__username", "author__display_name",
    "author__is_host", "author__is_superuser")


def listed_threads():
    """Threads anyone may read (``can_view_thread`` for an anonymous reader): not deleted,
    not waiting for review, not merged away. The same list for every reader, as the feeds."""
    return (Thread.objects.filter(is_deleted=False, is_hidden=False, merged_into=None)
            .select_related("space", "author").only(*THREAD_FIELDS)
            .prefetch_related(Prefetch("tags", queryset=Tag.objects.only("name"))))


def visible_posts(viewer, thread):
    """The posts of ``thread`` that ``viewer`` may see (``can_see_post`` in a thread they
    may read): published ones, their own held or hidden ones, every one for hosts; never
    deleted ones."""
    posts = (Post.objects.filter(thread=thread, is_deleted=False)
             .select_related("author").defer("search_vector"))
    if permissions.is_staff_host(viewer):
        return posts
    if permissions.is_member(viewer):
        return posts.filter(Q(status=Post.Status.PUBLISHED) | Q(author=viewer))
    return posts.filter(status=Post.Status.PUBLISHED)
