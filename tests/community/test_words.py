"""The words of ARCHITECTURE.md, defined once (community.words), read two ways.

The dashboard counts partners as members; the feed and ranking put partners on the brand
side. Where no partner wrote, both readings call the same threads brand-dominated.
"""
from datetime import timedelta

import pytest
from django.utils import timezone

from community import words
from community.engine import ranking, scoring
from community.host import dashboard as metrics
from community.models import Post, Thread
from community.services import conversations as svc
from tests import factories

D = Thread.Kind.DISCUSSION


@pytest.fixture
def people(db):
    return {"space": factories.SpaceFactory(), "host": factories.HostFactory(),
            "a": factories.UserFactory(), "b": factories.UserFactory(),
            "partner": factories.PartnerFactory()}


def _thread(people, opener, *repliers):
    at = timezone.now() - timedelta(days=1)
    thread = svc.thread_create(author=people[opener], space=people["space"], kind=D,
                               title="Talk", body="?", created_at=at)
    for i, who in enumerate(repliers, 1):
        svc.post_create(author=people[who], thread=thread, body="!",
                        created_at=at + timedelta(minutes=i))
    return thread


def _feed_dominated(thread_ids) -> set[int]:
    """The feed's notion: what the social score penalises as brand-dominated."""
    counters = scoring.thread_counters(list(thread_ids))
    return {pk for pk in thread_ids
            if ranking.is_brand_dominated(staff_posts=counters[pk]["staff"]
                                          + counters[pk]["partner"],
                                          total_posts=counters[pk]["total"])}


def test_dashboard_and_feed_agree_on_threads_without_partners(people):
    threads = {
        "staff-led": _thread(people, "host", "host", "a"),       # 3 of 4 by staff
        "half": _thread(people, "host", "a", "host", "b"),       # 2 of 4: not more than half
        "members": _thread(people, "a", "host", "b"),            # 1 of 3
        "too-few": _thread(people, "host", "host"),              # 2 posts: not judged
        "all-staff": _thread(people, "host", "host", "host"),    # 3 of 3
    }
    ids = [t.pk for t in threads.values()]
    feed = _feed_dominated(ids)
    assert feed == {threads["staff-led"].pk, threads["all-staff"].pk}
    assert metrics.health()["brand_dominated_threads"] == len(feed)


def test_a_partner_is_a_member_on_the_dashboard_and_brand_side_in_the_feed(people):
    thread = _thread(people, "partner", "partner", "host", "a")   # 3 of 4 by partner/staff
    posts = Post.objects.filter(thread=thread)
    assert posts.filter(author=people["partner"]).first().author_role == words.PARTNER
    # Dashboard: partners' posts are member posts; only staff is the brand.
    figures = metrics.health()
    assert (figures["member_posts"], figures["staff_posts"]) == (3, 1)
    assert figures["brand_dominated_threads"] == 0
    assert posts.filter(words.MEMBER_POST).count() == 3
    # Feed and ranking: partners stand with the brand, only customers are members.
    assert posts.filter(words.BRAND_SIDE_POST).count() == 3
    assert posts.filter(words.CUSTOMER_POST).count() == 1
    assert _feed_dominated([thread.pk]) == {thread.pk}
    assert scoring.thread_counters([thread.pk])[thread.pk]["participants"] == 1


def test_brand_dominated_is_at_least_three_posts_more_than_half():
    assert not words.brand_dominated(brand_posts=2, total_posts=2)
    assert not words.brand_dominated(brand_posts=2, total_posts=4)
    assert words.brand_dominated(brand_posts=2, total_posts=3)
    assert ranking.is_brand_dominated(staff_posts=3, total_posts=5)
