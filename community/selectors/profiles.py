"""A member's public activity: what they asked, answered, and how they helped."""
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum

from community.models import Post, Thread

ACTIVITY_PAGE = 15


class Activity:
    QUESTIONS = "questions"
    ANSWERS = "answers"
    ACCEPTED = "accepted"
    ALL = [(QUESTIONS, "Questions"), (ANSWERS, "Answers"), (ACCEPTED, "Accepted answers")]
    NAMES = {a[0] for a in ALL}


@dataclass
class ActivityPage:
    tab: str
    items: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


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


def activity_page(member, *, tab: str, page: int) -> ActivityPage:
    tab = tab if tab in Activity.NAMES else Activity.QUESTIONS
    start = (page - 1) * ACTIVITY_PAGE
    window = slice(start, start + ACTIVITY_PAGE + 1)
    if tab == Activity.QUESTIONS:
        rows = list(
            Thread.objects.filter(author=member, kind=Thread.Kind.QUESTION, is_deleted=False,
                                  is_hidden=False)
            .select_related("space").order_by("-created_at", "-id")[window]
        )
    else:
        qs = Post.objects.filter(
            author=member, kind=Post.Kind.ANSWER, is_deleted=False, thread__is_deleted=False,
            status=Post.Status.PUBLISHED, thread__is_hidden=False,
        )
        if tab == Activity.ACCEPTED:
            qs = qs.filter(thread__accepted_answer=F("pk"))
        rows = list(qs.select_related("thread", "thread__space").order_by("-created_at", "-id")[
            window
        ])
    return ActivityPage(tab=tab, items=rows[:ACTIVITY_PAGE], number=page,
                        has_next=len(rows) > ACTIVITY_PAGE)

