"""A member's public activity: what they asked, answered, and how they helped."""
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum

from community.models import Post, Thread
from community.selectors.paging import Slice, page_slice

ACTIVITY_PAGE = 15


class Activity:
    QUESTIONS = "questions"
    ANSWERS = "answers"
    ACCEPTED = "accepted"
    COLLECTIONS = "collections"
    ALL = [(QUESTIONS, "Questions"), (ANSWERS, "Answers"), (ACCEPTED, "Accepted answers"),
           (COLLECTIONS, "Collections")]
    NAMES = {a[0] for a in ALL}


@dataclass
class ActivityPage(Slice):
    tab: str = Activity.QUESTIONS


def activity_stats(member) -> dict:
    """Counts shown on the profile (2 queries)."""
    posts = Post.objects.filter(author=member, is_deleted=False, thread__is_deleted=False,
                                status=Post.Status.PUBLISHED, thread__is_hidden=False)
    stats = posts.aggregate(
        answers=Count("id", filter=Q(kind=Post.Kind.ANSWER)),
        helpful=Sum("helpful_count", filter=Q(kind=Post.Kind.ANSWER), default=0),
        likes=Sum("like_count", default=0),
    )
    stats.update(
        Thread.objects.filter(is_deleted=False, is_hidden=False).aggregate(
            questions=Count("id", filter=Q(author=member, kind=Thread.Kind.QUESTION)),
            accepted=Count("id", filter=Q(accepted_answer__author=member)),
        )
    )
    return stats


def activity_page(member, *, tab: str, page: int, viewer=None) -> ActivityPage:
    """One tab of the profile; ``viewer`` sees all of their own collections, everyone
    else the public ones."""
    tab = tab if tab in Activity.NAMES else Activity.QUESTIONS
    if tab == Activity.COLLECTIONS:
        from community.selectors.collections import member_collections

        found = member_collections(member, viewer=viewer, page=page)
        return ActivityPage(items=found.items, number=found.number, has_next=found.has_next,
                            offset=found.offset, tab=tab)
    if tab == Activity.QUESTIONS:
        qs = (Thread.objects.filter(author=member, kind=Thread.Kind.QUESTION, is_deleted=False,
                                    is_hidden=False)
              .select_related("space").order_by("-created_at", "-id"))
    else:
        qs = Post.objects.filter(
            author=member, kind=Post.Kind.ANSWER, is_deleted=False, thread__is_deleted=False,
            status=Post.Status.PUBLISHED, thread__is_hidden=False,
        )
        if tab == Activity.ACCEPTED:
            qs = qs.filter(thread__accepted_answer=F("pk"))
        qs = qs.select_related("thread", "thread__space").order_by("-created_at", "-id")
    return page_slice(qs, page=page, size=ACTIVITY_PAGE, kind=ActivityPage, tab=tab)

