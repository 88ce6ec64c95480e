"""Where an initiative really landed on the push-to-pull spectrum, measured from what followed.

docs/strategy.md gives the rule with examples; in short:

- *What followed* an initiative: the posts written during its days (``starts_on`` to
  ``ends_on``, both included, UTC) in its threads: the linked thread, the linked moment's
  thread, the threads asked about the linked product (``Thread.product``) that were opened
  during its days, and the threads a registered link names (a project's discussions, a
  partner offer's thread: :mod:`.links`). Posts are the dashboard's: published, not
  deleted, in a thread that is not deleted.
- Each post is counted once, under the first of these that fits it (*staff* and *member*
  as :mod:`community.words` defines them for the dashboard: partners are members):
  ``brand``: a staff post (shown, never scored);
  ``created``: a member's opening post (a thread they started) or entry to a moment;
  ``peer_answers``: a member's answer to another member's question;
  ``to_brand``: a member's reply to a staff post, or a member's answer or top-level reply
  in a thread staff opened;
  ``between``: any other member post: a reply to a member, or a post in a member's thread.
- ``joined``: members who joined through an invitation during the initiative's days and
  posted in its threads during them.
- *Member actions* = to_brand + between + created + peer_answers + joined; the *pull share*
  = (member actions - to_brand) / member actions; the measured step is the pull share's
  fifth: under 20 % Broadcast (1), under 40 % Respond (2), under 60 % Converse (3), under
  80 % Help each other (4), else Create (5). No member action: not measured ("nothing
  followed yet"). So an initiative whose replies all go to the brand lands at push (1),
  one where members answer each other and create lands at pull (5).

:func:`measure` costs a fixed number of queries whatever the number of initiatives.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import TruncDate
from django.utils.translation import gettext, ngettext

from community import words
from community.host.dashboard import live_posts
from community.models import Initiative, Post, Thread
from community.models.strategy import STEP_SHORT, Step

from . import links

FIGURES = ("to_brand", "between", "created", "peer_answers", "joined", "brand")
BANDS = 5


@dataclass
class Landing:
    """What followed one initiative, and where that puts it."""

    initiative: Initiative
    threads: set[int] = field(default_factory=set)
    to_brand: int = 0
    between: int = 0
    created: int = 0
    peer_answers: int = 0
    joined: int = 0
    brand: int = 0  # staff posts: shown beside, not scored

    @property
    def member_actions(self) -> int:
        return self.to_brand + self.between + self.created + self.peer_answers + self.joined

    @property
    def pull_share(self) -> float | None:
        total = self.member_actions
        return (total - self.to_brand) / total if total else None

    @property
    def measured(self) -> int | None:
        return step_of(self.pull_share)

    @property
    def measured_short(self) -> str:
        return STEP_SHORT[self.measured] if self.measured else gettext("Not measured")

    @property
    def gap(self) -> int | None:
        """Measured minus placed: negative when it landed nearer push than planned."""
        return None if self.measured is None else self.measured - self.initiative.placed

    @property
    def sentence(self) -> str:
        return sentence(self)


def step_of(pull_share: float | None) -> int | None:
    """The step of a pull share (0..1): five equal bands, push first; ``None`` stays None."""
    if pull_share is None:
        return None
    return min(BANDS, 1 + int(pull_share * BANDS + 1e-9))


def _times(n: int) -> str:
    return ngettext("%(n)s time", "%(n)s times", n) % {"n": n}


def sentence(landing: Landing) -> str:
    """"You placed it at Create; members answered the brand 40 times and each other 3
    times: it landed at Broadcast." (with what else followed)."""
    placed = STEP_SHORT[landing.initiative.placed]
    if landing.measured is None:
        return gettext("You placed it at %(placed)s; nothing members did followed it in its "
                       "days yet.") % {"placed": placed}
    said = gettext("You placed it at %(placed)s; members answered the brand %(to_brand)s and "
                   "each other %(between)s") % {"placed": placed,
                                                "to_brand": _times(landing.to_brand),
                                                "between": _times(landing.between)}
    extra = []
    if landing.created:
        extra.append(ngettext("started %(n)s thread or entry", "started %(n)s threads or entries",
                              landing.created) % {"n": landing.created})
    if landing.peer_answers:
        extra.append(ngettext("gave %(n)s peer answer", "gave %(n)s peer answers",
                              landing.peer_answers) % {"n": landing.peer_answers})
    if landing.joined:
        extra.append(ngettext("brought %(n)s invited member in", "brought %(n)s invited members in",
                              landing.joined) % {"n": landing.joined})
    if extra:
        said += ", " + ", ".join(extra)
    return gettext("%(said)s: it landed at %(step)s.") % {"said": said,
                                                         "step": STEP_SHORT[landing.measured]}


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _what() -> Case:
    member = words.member_post()
    return Case(
        When(words.staff_post(), then=Value("brand")),
        When(member & (Q(kind=Post.Kind.OPENING) | Q(moment_entry__isnull=False)),
             then=Value("created")),
        When(member & Q(kind=Post.Kind.ANSWER, thread__author_is_staff=False)
             & ~Q(thread__author_id=F("author_id")), then=Value("peer_answers")),
        When(member & (words.staff_post("parent__author_role")
                       | Q(parent__isnull=True, thread__author_is_staff=True)),
             then=Value("to_brand")),
        default=Value("between"), output_field=CharField(),
    )


def measure(initiatives: list[Initiative]) -> list[Landing]:
    """Each initiative's landing, in the given order (at most 6 queries for any number of
    initiatives: product threads, one per registered link kind, posts, invited members).
    Give initiatives with ``thread``, ``moment`` and ``product`` selected."""
    landings = [Landing(initiative=i) for i in initiatives]
    if not landings:
        return landings
    first = min(i.starts_on for i in initiatives)
    last = max(i.ends_on for i in initiatives)
    window = (_start(first), _start(last + timedelta(days=1)))
    products = {i.product_id for i in initiatives if i.product_id}
    product_threads: dict[int, list[tuple[int, date]]] = {}
    if products:
        for pk, product_id, opened in Thread.objects.filter(
                product_id__in=products, is_deleted=False, created_at__gte=window[0],
                created_at__lt=window[1]).values_list("pk", "product_id", "created_at"):
            product_threads.setdefault(product_id, []).append((pk, opened.astimezone(UTC).date()))
    linked = links.threads_of([(i.link_kind, i.link_id) for i in initiatives
                               if i.link_kind and i.link_id])
    for landing in landings:
        i = landing.initiative
        if i.thread_id:
            landing.threads.add(i.thread_id)
        if i.moment_id and i.moment is not None:
            landing.threads.add(i.moment.thread_id)
        landing.threads |= {pk for pk, day in product_threads.get(i.product_id, ())
                            if i.starts_on <= day <= i.ends_on}
        landing.threads |= linked.get((i.link_kind, i.link_id), set())
    every = set().union(*(landing.threads for landing in landings))
    if not every:
        return landings
    posts = (live_posts().filter(thread_id__in=every, created_at__gte=window[0],
                                 created_at__lt=window[1])
             .annotate(day=TruncDate("created_at", tzinfo=UTC), what=_what())
             .values("thread_id", "day", "what").annotate(n=Count("pk")).order_by()
             .values_list("thread_id", "day", "what", "n"))
    newcomers = (live_posts().filter(words.member_post(), thread_id__in=every,
                                     created_at__gte=window[0], created_at__lt=window[1],
                                     author__invited_by__isnull=False,
                                     author__date_joined__gte=window[0],
                                     author__date_joined__lt=window[1])
                 .annotate(day=TruncDate("created_at", tzinfo=UTC))
                 .values_list("thread_id", "day", "author_id", "author__date_joined")
                 .order_by().distinct())
    by_thread: dict[int, list] = {}
    for thread_id, day, what, n in posts:
        by_thread.setdefault(thread_id, []).append((day, what, n))
    joiners: dict[int, list] = {}
    for thread_id, day, author, joined_at in newcomers:
        joiners.setdefault(thread_id, []).append((day, author, joined_at.astimezone(UTC).date()))
    for landing in landings:
        i = landing.initiative
        for thread_id in landing.threads:
            for day, what, n in by_thread.get(thread_id, ()):
                if i.starts_on <= day <= i.ends_on:
                    setattr(landing, what, getattr(landing, what) + n)
        landing.joined = len({author for thread_id in landing.threads
                              for day, author, joined_on in joiners.get(thread_id, ())
                              if i.starts_on <= day <= i.ends_on
                              and i.starts_on <= joined_on <= i.ends_on})
    return landings


__all__ = ["FIGURES", "Landing", "Step", "measure", "sentence", "step_of"]
