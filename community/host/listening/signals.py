"""Store each post's reading (``sentiment.read``) as its :class:`PostSignal`.

Called by the engagement worker for the posts its events wrote, edited or approved
(``engine.engagement``), and by ``manage.py listen`` over a space or the whole site. A
recomputation replaces the reading and keeps a host's decision: a post a host answered or
set aside stays out of the queue after an edit; a post that no longer needs a touch leaves
the queue unless a host already decided on it.
"""
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from community import words
from community.models import CommunitySettings, Post, PostSignal, Product

from . import sentiment

BATCH = 500
_UPDATED = ["author", "thread", "written_at", "by_member", "sentiment", "brand_sentiment",
            "about_brand", "sarcasm", "reasons", "needs_touch", "touch", "analyser",
            "computed_at"]


def brand_terms() -> list[str]:
    """The words that mean the brand: its name, its products' names and lines, and the
    hosts' own (``CommunitySettings.brand_terms``)."""
    terms = [settings.BRAND["name"]]
    for name, line in Product.objects.order_by().values_list("name", "line"):
        terms += [name, line]
    return [t for t in terms + CommunitySettings.get().brand_words() if t and t.strip()]


def slogans() -> list[str]:
    tagline = settings.BRAND.get("tagline") or ""
    return [s for s in [tagline.strip().lower(), *CommunitySettings.get().slogans()] if s]


class Rules:
    """The brand's words and slogans, read once for a batch of posts."""

    def __init__(self):
        self.brand = sentiment.brand_pattern(brand_terms())
        self.slogans = slogans()

    def read(self, post: Post) -> sentiment.Reading:
        return sentiment.read(post.body, html_body=post.body_format == "html",
                              brand=self.brand, slogans=self.slogans)


def signals_compute(post_ids: Iterable[int], *, rules: Rules | None = None) -> int:
    """Read and store the signal of each post in ``post_ids`` (deleted ones too: the pages
    leave them out); returns how many were stored. Idempotent."""
    ids = sorted(set(post_ids))
    if not ids:
        return 0
    rules = rules or Rules()
    stored = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        posts = list(Post.objects.filter(pk__in=chunk).only(
            "pk", "author_id", "thread_id", "created_at", "author_role", "body", "body_format"))
        decided = dict(PostSignal.objects.filter(post_id__in=chunk).values_list("post_id",
                                                                                "touch"))
        now = timezone.now()
        rows = []
        for post in posts:
            reading = rules.read(post)
            by_member = post.author_role != words.STAFF
            needs = by_member and reading.needs_touch
            touch = decided.get(post.pk, PostSignal.Touch.NONE)
            if needs and touch == PostSignal.Touch.NONE:
                touch = PostSignal.Touch.OPEN
            elif not needs and touch == PostSignal.Touch.OPEN:
                touch = PostSignal.Touch.NONE
            rows.append(PostSignal(
                post_id=post.pk, author_id=post.author_id, thread_id=post.thread_id,
                written_at=post.created_at, by_member=by_member, sentiment=reading.sentiment,
                brand_sentiment=reading.brand_sentiment, about_brand=reading.about_brand,
                sarcasm=reading.sarcasm, reasons=reading.reasons if by_member else [],
                needs_touch=needs, touch=touch, analyser=sentiment.VERSION, computed_at=now))
        PostSignal.objects.bulk_create(rows, update_conflicts=True, unique_fields=["post"],
                                       update_fields=_UPDATED)
        stored += len(rows)
    return stored
