"""The API's reads: the same visibility as the pages, as queries (a cursor page cannot
filter rows in Python). Each is the query form of a predicate of ``community.permissions``,
and tests/api/test_visibility.py checks that they agree row by row."""
from django.db.models import Prefetch, Q

from community import permissions
from community.models import Post, Tag, Thread


def listed_threads():
    """Threads anyone may read (``can_view_thread`` for an anonymous reader): not deleted,
    not waiting for review, not merged away. The same list for every reader, as the feeds."""
    return (Thread.objects.filter(is_deleted=False, is_hidden=False, merged_into=None)
            .select_related("space", "author").defer("search_vector", "search_body")
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
