"""Does routing ask the people who really answer? A time-split replay (docs/routing.md).

Questions are taken in the order they were asked. For each question in the evaluation
window (by default the last 30%), every method ranks the community *as it stood* when the
question was asked (only answers, posts and acceptances created before it), the asker and
staff left out; a hit at k is a question where one of the first k members ranked is a
*real answerer*: an author of an answer to it who is neither the asker nor staff (staff are
never routed, so their answers are not counted as missed). Questions nobody but the asker or
staff answered are left out of the figures and counted apart.

Methods: Gravity's router (the production :func:`routing.candidates` path, called with
``as_of`` and ``reach_unclaimed=True``: imported accounts are reachable in the replay
only) and three baselines: most answers so far, most answers in the 90 days before, and
most answers in the question's tags (an answer counts once per shared tag). Each runs
uncapped and with the weekly cap simulated in replay time: every method asks its own first
three, and a member already asked ``cap`` times in the 7 days before a question is skipped.
"""
import bisect
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from community.engine import routing
from community.models import Post, Thread, User

KS = (1, 3, 5)
MRR_DEPTH = 10
RECENT_DAYS = 90
WARM_UP = timedelta(days=routing.OUTSTANDING_DAYS)
METHODS = ("router", "most answers so far", "most answers in last 90 days",
           "most answers in the question's tags")


class ReplayLedger:
    """The asks a method made during the replay, read the way ``RouteLedger`` reads
    ``QuestionRoute``: an ask is answered once the member answered that question."""

    def __init__(self, answered_at: dict[tuple[int, int], datetime]):
        self._answered_at = answered_at
        self._asks: deque[tuple[datetime, int, int]] = deque()

    def offer(self, thread_id: int, members: list[int], at: datetime) -> None:
        for pk in members:
            self._asks.append((at, pk, thread_id))

    def _since(self, start: datetime, as_of: datetime):
        while self._asks and self._asks[0][0] < as_of - WARM_UP:
            self._asks.popleft()
        return [a for a in self._asks if start <= a[0] < as_of]

    def asked_recently(self, as_of: datetime, cap: int) -> set[int]:
        counts = Counter(pk for _at, pk, _t in self._since(as_of - timedelta(days=7), as_of))
        return {pk for pk, n in counts.items() if n >= cap}

    def outstanding(self, members: list[int], as_of: datetime) -> Counter:
        wanted = set(members)
        out: Counter = Counter()
        for _at, pk, thread_id in self._since(as_of - WARM_UP, as_of):
            done = self._answered_at.get((thread_id, pk))
            if pk in wanted and (done is None or done >= as_of):
                out[pk] += 1
        return out


@dataclass
class Score:
    method: str
    capped: bool
    n: int = 0
    hits: dict[int, int] = field(default_factory=lambda: dict.fromkeys(KS, 0))
    rr: float = 0.0

    def add(self, ranked: list[int], answerers: set[int]) -> None:
        self.n += 1
        first = next((i for i, pk in enumerate(ranked[:MRR_DEPTH], 1) if pk in answerers), None)
        for k in KS:
            self.hits[k] += first is not None and first <= k
        self.rr += 1 / first if first else 0.0

    def row(self) -> dict:
        n = self.n or 1
        return {"method": self.method, "capped": self.capped, "n": self.n,
                **{f"hit@{k}": self.hits[k] / n for k in KS},
                **{f"hits@{k}": self.hits[k] for k in KS}, "mrr": self.rr / n}


class _Counts:
    """Baseline counts of answers before a moment, advanced in time order."""

    def __init__(self, answers: list[tuple[datetime, int, int]], tags: dict[int, list[int]]):
        self.answers, self.tags = answers, tags
        self.next = 0
        self.overall: Counter = Counter()
        self.recent: Counter = Counter()
        self.window: deque = deque()
        self.by_tag: dict[int, Counter] = defaultdict(Counter)

    def advance(self, as_of: datetime) -> None:
        while self.next < len(self.answers) and self.answers[self.next][0] < as_of:
            at, thread_id, author = self.answers[self.next]
            self.next += 1
            self.overall[author] += 1
            self.recent[author] += 1
            self.window.append((at, author))
            for tag in self.tags.get(thread_id, ()):
                self.by_tag[tag][author] += 1
        while self.window and self.window[0][0] < as_of - timedelta(days=RECENT_DAYS):
            self.recent[self.window.popleft()[1]] -= 1

    def in_tags(self, tag_ids: list[int]) -> Counter:
        total: Counter = Counter()
        for tag in tag_ids:
            total.update(self.by_tag.get(tag, {}))
        return total


def _top(counts: Counter, allowed, skip: set[int], limit: int) -> list[int]:
    ranked = sorted((pk for pk, n in counts.items() if n > 0 and pk in allowed
                     and pk not in skip), key=lambda pk: (-counts[pk], pk))
    return ranked[:limit]


def evaluate(*, space: str | None = None, split: float = 0.7, until: float = 1.0,
             cap: int = 3, weights: routing.Weights = routing.WEIGHTS,
             gathered: dict | None = None, methods: tuple[str, ...] = METHODS) -> dict:
    """Replay the questions in ``[split, until)`` (fractions of all questions by date).

    ``gathered`` (question id -> :func:`routing.gather`'s result) lets a caller comparing
    several ``weights`` read the database once; ``methods`` picks some of :data:`METHODS`."""
    from community.words import staff_person

    if not 0 <= split < until <= 1:
        raise ValueError("The window must satisfy 0 <= split < until <= 1.")
    threads = Thread.objects.filter(kind=Thread.Kind.QUESTION, is_deleted=False)
    if space:
        threads = threads.filter(space__slug=space)
    questions = list(threads.select_related("space").order_by("created_at", "pk"))
    tags: dict[int, list[int]] = defaultdict(list)
    for thread_id, tag_id in Thread.tags.through.objects.filter(
            thread__in=threads).values_list("thread_id", "tag_id"):
        tags[thread_id].append(tag_id)
    staff = set(User.objects.filter(staff_person()).values_list("pk", flat=True))
    answered_at: dict[tuple[int, int], datetime] = {}
    answerers: dict[int, set[int]] = defaultdict(set)
    history = []
    for thread_id, author, at in (
            Post.objects.filter(kind=Post.Kind.ANSWER, is_deleted=False, thread__in=threads)
            .order_by("created_at", "pk").values_list("thread_id", "author_id", "created_at")):
        answered_at.setdefault((thread_id, author), at)
        answerers[thread_id].add(author)
        if author not in staff:
            history.append((at, thread_id, author))
    reachable = set(User.objects.filter(is_active=True, is_former_member=False,
                                        accepts_routing=True).exclude(staff_person())
                    .values_list("pk", flat=True))
    first, last = int(len(questions) * split), int(len(questions) * until)
    window = questions[first:last]
    report = {"space": space or "all", "questions": len(questions), "split": split,
              "until": until, "cap": cap, "window": len(window), "no_real_answerer": 0,
              "from": window[0].created_at.isoformat() if window else None,
              "to": window[-1].created_at.isoformat() if window else None,
              "staff_excluded": True, "rows": []}
    if not window:
        return report
    start = window[0].created_at - WARM_UP
    begin = bisect.bisect_left([q.created_at for q in questions], start)
    scores = {(m, c): Score(m, c) for m in methods for c in (False, True)}
    ledgers = {key: ReplayLedger(answered_at) for key in scores}
    counts = _Counts(history, tags)
    depth = max(MRR_DEPTH, routing.MAX_ASKED)
    for index in range(begin, last):
        q = questions[index]
        counts.advance(q.created_at)
        found = gathered.get(q.pk) if gathered is not None else None
        if found is None:
            found = routing.gather(q, as_of=q.created_at, reach_unclaimed=True)
            if gathered is not None:
                gathered[q.pk] = found
        baseline = {METHODS[1]: counts.overall, METHODS[2]: counts.recent,
                    METHODS[3]: counts.in_tags(tags.get(q.pk, []))}
        real = answerers.get(q.pk, set()) - staff - {q.author_id}
        scored = index >= first
        if scored and not real:
            report["no_real_answerer"] += 1
        for capped in (False, True):
            for method in methods:
                ledger = ledgers[(method, capped)]
                if method == "router":
                    ranked = routing.rank(found, limit=depth, cap=cap if capped else 0,
                                          ledger=ledger, weights=weights)
                else:
                    skip = {q.author_id}
                    if capped:
                        skip |= ledger.asked_recently(q.created_at, cap)
                    ranked = _top(baseline[method], reachable, skip, depth)
                ledger.offer(q.pk, ranked[:routing.MAX_ASKED], q.created_at)
                if scored and real:
                    scores[(method, capped)].add(ranked, real)
    report["rows"] = [s.row() for s in scores.values()]
    return report


def table(report: dict) -> str:
    """The report as a Markdown table."""
    lines = ["| method | cap | n | hit@1 | hit@3 | hit@5 | MRR@10 |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in report["rows"]:
        lines.append(
            f"| {r['method']} | {report['cap'] if r['capped'] else 'none'} | {r['n']} | "
            + " | ".join(f"{r[f'hit@{k}']:.1%} ({r[f'hits@{k}']})" for k in KS)
            + f" | {r['mrr']:.3f} |")
    return "\n".join(lines)
