"""What the hosts' listening pages read: the map, the queue, a member's posts, the digest.

Every figure reads the stored :class:`PostSignal` rows (computed by the worker), never the
text at request time. Posts counted are published, not deleted, in threads that are not
deleted; the map and the tone changes count *advocates* (``words.advocate``: active
people who are neither staff nor former members).
"""
import datetime
import math
from dataclasses import dataclass

from django.db.models import Avg, Count, Max, Q
from django.utils import timezone

from community import words
from community.models import Post, PostSignal, SearchMiss, Tag, Thread, User
from community.selectors.paging import Slice, page_slice

from . import sentiment
from .services import week_of

MAP_MEMBERS = 60
QUEUE_PAGE = 20
MEMBER_PAGE = 30
DIGEST_ROWS = 10
BEFORE_WEEKS = 4  # a tag or product "rises" against its weekly mean over these weeks
TONE_WEEKS = 8  # a member's usual tone: the mean over these weeks before the digest's
TONE_MIN_NOW, TONE_MIN_BEFORE, TONE_CHANGE = 2, 3, 0.35

# The map's box (SVG units): wide enough for its labels when drawn at a phone's width.
MAP_W, MAP_H, MAP_LEFT, MAP_TOP, MAP_RIGHT, MAP_BOTTOM = 360, 300, 44, 16, 12, 40


def _visible(prefix: str = "post__") -> Q:
    return Q(**{f"{prefix}is_deleted": False, f"{prefix}status": Post.Status.PUBLISHED,
                f"{prefix}thread__is_deleted": False})


def tone_word(score: float | None) -> str:
    if score is None:
        return "No brand posts"
    return dict((key, label) for key, label, *_ in sentiment.BANDS)[sentiment.band_of(score)]


# The advocates and detractors map -------------------------------------------------------

@dataclass
class Dot:
    member: User
    brand_tone: float
    brand_posts: int
    threads: int
    x: float = 0.0
    y: float = 0.0
    side: str = "neutral"  # warm, critical, neutral (the dot's shape and colour)
    square: tuple = (0.0, 0.0)  # a critical member's mark is a square: its corner

    @property
    def tone_label(self) -> str:
        return tone_word(self.brand_tone)


def advocates_map(*, limit: int = MAP_MEMBERS) -> dict:
    """Members who spoke of the brand: help given (``User.peer_help``, the advocates
    ranking) against the mean tone of their brand sentences, with the SVG positions.
    Two queries."""
    rows = list(
        PostSignal.objects.filter(_visible(), words.advocate("author"), about_brand=True,
                                  by_member=True)
        .values("author_id")
        .annotate(tone=Avg("brand_sentiment"), posts=Count("post_id"),
                  threads=Count("thread_id", distinct=True))
        .order_by("-posts", "author_id")[:limit])
    members = User.objects.in_bulk([row["author_id"] for row in rows])
    dots = [Dot(member=members[row["author_id"]], brand_tone=round(row["tone"], 3),
                brand_posts=row["posts"], threads=row["threads"]) for row in rows]
    dots.sort(key=lambda d: (-d.member.peer_help, d.brand_tone, d.member.pk))
    top = max((d.member.peer_help for d in dots), default=0) or 1
    inner_w = MAP_W - MAP_LEFT - MAP_RIGHT
    inner_h = MAP_H - MAP_TOP - MAP_BOTTOM
    for dot in dots:
        # Square root: a few members give most of the help; the rest would sit on the axis.
        dot.x = round(MAP_LEFT + math.sqrt(max(dot.member.peer_help, 0) / top) * inner_w, 1)
        dot.y = round(MAP_TOP + (1 - (dot.brand_tone + 1) / 2) * inner_h, 1)
        dot.side = ("warm" if dot.brand_tone >= 0.05 else
                    "critical" if dot.brand_tone <= -0.05 else "neutral")
        dot.square = (round(dot.x - 4, 1), round(dot.y - 4, 1))
    mid_x = round(MAP_LEFT + inner_w / 2, 1)
    mid_y = round(MAP_TOP + inner_h / 2, 1)
    right, bottom = MAP_W - MAP_RIGHT, MAP_H - MAP_BOTTOM
    return {
        "dots": dots, "w": MAP_W, "h": MAP_H, "left": MAP_LEFT, "top": MAP_TOP,
        "right": right, "bottom": bottom, "mid_x": mid_x, "mid_y": mid_y, "top_help": top,
        "limit": limit, "inner_w": inner_w, "half_h": round(inner_h / 2, 1),
        "label_top": MAP_TOP + 12, "label_bottom": bottom - 6, "label_left": MAP_LEFT + 4,
        "tick_x": MAP_LEFT - 6, "tick_top": MAP_TOP + 4, "tick_mid": mid_y + 4,
        "tick_bottom": bottom + 4, "help_y": bottom + 16, "axis_y": MAP_H - 4,
        "counts": {side: sum(1 for d in dots if d.side == side)
                   for side in ("warm", "neutral", "critical")},
    }


class MemberPostsPage(Slice):
    pass


def member_brand_posts(*, member: User, page: int) -> MemberPostsPage:
    """The posts behind a member's dot: their brand posts, newest first (one query)."""
    qs = (PostSignal.objects.filter(_visible(), author=member, about_brand=True)
          .select_related("post", "thread").order_by("-written_at", "-post_id"))
    return page_slice(qs, page=page, size=MEMBER_PAGE, kind=MemberPostsPage)


# The "needs a human touch" queue -----------------------------------------------------------

SHOWS = {"open": PostSignal.Touch.OPEN, "answered": PostSignal.Touch.ANSWERED,
         "dismissed": PostSignal.Touch.DISMISSED}


def touch_queue(*, show: str = "open", page: int) -> Slice:
    """Posts that need a host's own answer, newest first; ``show`` the ones hosts already
    answered or set aside (for undoing). One query."""
    qs = (PostSignal.objects.filter(_visible(), needs_touch=True, touch=SHOWS[show])
          .select_related("post", "thread", "thread__space", "author", "touch_by")
          .order_by("-written_at", "-post_id"))
    found = page_slice(qs, page=page, size=QUEUE_PAGE)
    for signal in found.items:
        signal.why = why(signal)
    return found


def touch_counts() -> dict[str, int]:
    found = dict(PostSignal.objects.filter(_visible(), needs_touch=True)
                 .values_list("touch").annotate(n=Count("post_id")).order_by())
    return {name: found.get(touch, 0) for name, touch in SHOWS.items()}


def why(signal: PostSignal) -> list[str]:
    """Why the post is in the queue, in words."""
    return [sentiment.REASONS[code] for code in signal.reasons if code in sentiment.REASONS]


# The weekly "what members care about" digest ----------------------------------------------

def last_full_week(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return week_of(today) - datetime.timedelta(days=7)


def latest_week() -> datetime.date | None:
    """The week of the latest post (for a site whose history is imported)."""
    latest = Post.objects.filter(is_deleted=False).aggregate(at=Max("created_at"))["at"]
    return week_of(timezone.localtime(latest).date()) if latest else None


def _bounds(week: datetime.date, weeks: int = 1):
    start = datetime.datetime.combine(week, datetime.time.min,
                                      tzinfo=timezone.get_current_timezone())
    return start, start + datetime.timedelta(days=7 * weeks)


def _rising(field: str, week: datetime.date) -> list[dict]:
    """Tags or products (``field`` of Thread) of the week's new threads, against their
    weekly mean over the weeks before; the ones that rose most first."""
    start, end = _bounds(week)
    before = start - datetime.timedelta(days=7 * BEFORE_WEEKS)
    threads = Thread.objects.filter(is_deleted=False, is_hidden=False,
                                    created_at__gte=before, created_at__lt=end)
    rows = (threads.exclude(**{f"{field}__isnull": True}).values(field)
            .annotate(now=Count("id", filter=Q(created_at__gte=start), distinct=True),
                      earlier=Count("id", filter=Q(created_at__lt=start), distinct=True))
            .filter(now__gt=0).order_by())
    rising = []
    for row in rows:
        mean = row["earlier"] / BEFORE_WEEKS
        if row["now"] > mean:
            rising.append({"id": row[field], "now": row["now"], "mean": round(mean, 1),
                           "rise": row["now"] - mean})
    rising.sort(key=lambda r: (-r["rise"], -r["now"], r["id"]))
    return rising[:DIGEST_ROWS]


def _named(rows: list[dict], model) -> list[dict]:
    objects = model.objects.in_bulk([r["id"] for r in rows])
    return [{**r, "object": objects[r["id"]]} for r in rows if r["id"] in objects]


def tone_changes(week: datetime.date) -> list[dict]:
    """Members whose mean tone this week differs by ``TONE_CHANGE`` or more from their mean
    over the ``TONE_WEEKS`` before (with a few posts in each): one query."""
    start, end = _bounds(week)
    before = start - datetime.timedelta(days=7 * TONE_WEEKS)
    rows = (PostSignal.objects.filter(_visible(), words.advocate("author"), by_member=True,
                                      written_at__gte=before, written_at__lt=end)
            .values("author_id")
            .annotate(now=Avg("sentiment", filter=Q(written_at__gte=start)),
                      now_posts=Count("post_id", filter=Q(written_at__gte=start)),
                      earlier=Avg("sentiment", filter=Q(written_at__lt=start)),
                      earlier_posts=Count("post_id", filter=Q(written_at__lt=start)))
            .filter(now_posts__gte=TONE_MIN_NOW, earlier_posts__gte=TONE_MIN_BEFORE)
            .order_by())
    changed = [r for r in rows if abs(r["now"] - r["earlier"]) >= TONE_CHANGE]
    changed.sort(key=lambda r: (-abs(r["now"] - r["earlier"]), r["author_id"]))
    changed = changed[:DIGEST_ROWS]
    members = User.objects.in_bulk([r["author_id"] for r in changed])
    return [{"member": members[r["author_id"]], "now": round(r["now"], 2),
             "earlier": round(r["earlier"], 2), "change": round(r["now"] - r["earlier"], 2),
             "now_posts": r["now_posts"], "earlier_posts": r["earlier_posts"],
             "warmer": r["now"] > r["earlier"]} for r in changed]


def digest(week: datetime.date) -> dict:
    """The week's digest (Monday ``week``): rising tags and products, questions that found
    no answer, searches that found nothing and members whose tone changed."""
    from community.models import Product

    start, end = _bounds(week)
    unanswered = list(
        Thread.objects.filter(kind=Thread.Kind.QUESTION, answer_count=0, is_deleted=False,
                              is_hidden=False, merged_into__isnull=True,
                              created_at__gte=start, created_at__lt=end)
        .select_related("space", "author").order_by("created_at", "pk")[:DIGEST_ROWS * 2])
    searches = list(SearchMiss.objects.filter(week=week).order_by("-count", "term")
                    [:DIGEST_ROWS * 2])
    found = {
        "week": week, "until": week + datetime.timedelta(days=6),
        "tags": _named(_rising("tags", week), Tag),
        "products": _named(_rising("product", week), Product),
        "unanswered": unanswered, "searches": searches, "tones": tone_changes(week),
        "before_weeks": BEFORE_WEEKS, "tone_weeks": TONE_WEEKS, "tone_change": TONE_CHANGE,
    }
    found["empty"] = not any(found[k] for k in ("tags", "products", "unanswered", "searches",
                                                "tones"))
    return found
