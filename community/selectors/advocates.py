"""Advocates: members ranked by the help they give other members, not by post count."""
from dataclasses import dataclass

from django.core.cache import cache

from community.models import User

PAGE_SIZE = 50
HELPER_TOP = 10  # the top ten members by peer help wear the "community helper" badge


@dataclass
class AdvocatesPage:
    members: list[User]
    number: int
    has_next: bool
    offset: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _members():
    return User.objects.filter(
        is_active=True, is_host=False, is_superuser=False, is_former_member=False,
        peer_help__gt=0,
    )


def advocates_page(*, page: int) -> AdvocatesPage:
    start = (page - 1) * PAGE_SIZE
    rows = list(_members().order_by("-peer_help", "pk")[start:start + PAGE_SIZE + 1])
    return AdvocatesPage(members=rows[:PAGE_SIZE], number=page,
                         has_next=len(rows) > PAGE_SIZE, offset=start)


def helper_threshold() -> float | None:
    """The peer-help score a member needs for the badge (cached for ten minutes)."""
    def compute():
        scores = list(_members().order_by("-peer_help").values_list("peer_help", flat=True)[
            :HELPER_TOP])
        return scores[-1] if scores else None

    return cache.get_or_set("advocates:helper-threshold", compute, timeout=600)


def is_community_helper(member) -> bool:
    threshold = helper_threshold()
    return bool(
        threshold is not None and member.peer_help >= threshold and member.peer_help > 0
        and not member.is_host and not member.is_superuser
    )


def routing_stats(*, days: int = 30) -> dict:
    """Does "ask the owners" work? Questions routed, members asked, asks answered (1 query)."""
    from datetime import timedelta

    from django.db.models import Count, Q
    from django.utils import timezone

    from community.models import QuestionRoute

    since = timezone.now() - timedelta(days=days)
    stats = QuestionRoute.objects.filter(created_at__gte=since).aggregate(
        asks=Count("id"),
        questions=Count("thread_id", distinct=True),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
    )
    stats["days"] = days
    stats["answer_rate"] = stats["answered"] / stats["asks"] if stats["asks"] else None
    return stats
