"""Ask the owners: offer a new question to a few members likely to answer it.

Candidates earn points from what they did before, never from being staff::

    5 per accepted answer in the same space      3 per answer in the same space
    4 per answer in a thread sharing a tag       6 if they own a product named in the
                                                   question's title, tags or space
    1 if they posted in the last 30 days

Staff, the asker, members already in the thread, inactive or unclaimed accounts, members
who turned routing off, and members already asked ``ROUTING_WEEKLY_CAP`` times in the last
7 days are never picked.
Routing is idempotent per question (one ``QuestionRoute`` per member and question).
"""
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone

from community.models import Notification, Post, QuestionRoute, Thread, User

MAX_ASKED = 3


def _weekly_cap() -> int:
    return getattr(settings, "ROUTING_WEEKLY_CAP", 3)


def candidates(thread: Thread, limit: int = MAX_ASKED) -> list[User]:
    now = timezone.now()
    points: Counter[int] = Counter()
    from community.words import MEMBER_POST, staff_person

    # The dashboard's reading of the words: partners are members, and may be asked.
    answers = Post.objects.filter(MEMBER_POST, kind=Post.Kind.ANSWER, is_deleted=False,
                                  thread__is_deleted=False)
    for row in (
        answers.filter(thread__space_id=thread.space_id).values("author_id")
        .annotate(n=Count("id"), accepted=Count("id", filter=Q(thread__accepted_answer=F("pk"))))
    ):
        points[row["author_id"]] += 3 * row["n"] + 5 * row["accepted"]
    tag_ids = list(thread.tags.values_list("pk", flat=True))
    if tag_ids:
        for row in (
            answers.filter(thread__tags__in=tag_ids).values("author_id")
            .annotate(n=Count("id", distinct=True))
        ):
            points[row["author_id"]] += 4 * row["n"]
    words = {thread.space.name.lower(), *(t.lower() for t in thread.tags.values_list(
        "name", flat=True))}
    title = thread.title.lower()
    owners = User.objects.exclude(products="").only("pk", "products")
    for owner in owners.iterator(chunk_size=2000):
        for product in owner.product_list:
            p = product.lower()
            if p in title or p in words or any(w and w in p for w in words):
                points[owner.pk] += 6
                break
    if not points:
        return []
    recent = set(
        Post.objects.filter(author_id__in=list(points), created_at__gte=now - timedelta(days=30))
        .values_list("author_id", flat=True).distinct()
    )
    for pk in recent:
        points[pk] += 1
    capped = set(
        QuestionRoute.objects.filter(created_at__gte=now - timedelta(days=7))
        .values("member_id").annotate(n=Count("id")).filter(n__gte=_weekly_cap())
        .values_list("member_id", flat=True)
    )
    eligible = {
        u.pk: u for u in User.objects.filter(
            pk__in=list(points), is_active=True, is_unclaimed=False, is_former_member=False,
            accepts_routing=True,
        ).exclude(staff_person()).exclude(pk=thread.author_id).exclude(pk__in=capped)
        # Already in the conversation: nothing to ask them.
        .exclude(pk__in=Post.objects.filter(thread=thread).values("author_id"))
    }
    ranked = sorted(eligible, key=lambda pk: (-points[pk], pk))
    return [eligible[pk] for pk in ranked[:limit]]


def route_question(*, thread_id: int) -> list[int]:
    """Ask up to three members to help with a new question; returns who was asked."""
    thread = Thread.objects.select_related("space").filter(
        pk=thread_id, kind=Thread.Kind.QUESTION, is_deleted=False, is_hidden=False
    ).first()
    if thread is None or QuestionRoute.objects.filter(thread=thread).exists():
        return []
    chosen = candidates(thread)
    QuestionRoute.objects.bulk_create(
        [QuestionRoute(thread=thread, member=m) for m in chosen], ignore_conflicts=True
    )
    Notification.objects.bulk_create(
        [Notification(recipient=m, kind=Notification.Kind.ROUTED, actor_id=thread.author_id,
                      thread=thread, post_id=thread.opening_post_id)
         for m in chosen],
        ignore_conflicts=True,
    )
    return [m.pk for m in chosen]


def answers_record(pairs: list[tuple[int, int]]) -> None:
    """Record the answers of a batch, ``(thread_id, member_id)`` pairs, in one query."""
    from functools import reduce
    from operator import or_

    from django.db.models import Q

    if pairs:
        QuestionRoute.objects.filter(
            reduce(or_, (Q(thread_id=t, member_id=m) for t, m in pairs)),
            answered_at__isnull=True,
        ).update(answered_at=timezone.now())
