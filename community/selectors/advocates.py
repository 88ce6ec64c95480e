"""Advocates: members ranked by the help they give other members, not by post count."""
from django.core.cache import cache

from community import words
from community.models import User
from community.selectors.paging import Slice, page_slice

PAGE_SIZE = 50
HELPER_TOP = 10  # the top ten members by peer help wear the "community helper" badge


class AdvocatesPage(Slice):
    @property
    def members(self) -> list[User]:
        return self.items


def _members():
    """words.py's advocates with some help to their name (the dashboard's list reads the
    same definitions over its period)."""
    return User.objects.filter(words.advocate(), peer_help__gt=0)


def advocates_page(*, page: int) -> AdvocatesPage:
    return page_slice(_members().order_by("-peer_help", "pk"), page=page, size=PAGE_SIZE,
                      kind=AdvocatesPage)


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
