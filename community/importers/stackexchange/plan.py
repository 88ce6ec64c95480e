"""What the first, read-only pass learns, and what earlier runs imported."""
from __future__ import annotations

import gc
from array import array
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import connection

from community.importers.stackexchange.reading import Skip, as_int, parse_date
from community.models import ImportedObject

if TYPE_CHECKING:
    from community.importers.stackexchange.importer import StackExchangeImport


class IdMap:
    """Source id -> int (0 meaning absent), in a growing array: dump ids are dense, so a
    million entries take 8 MB and nothing for the garbage collector to walk, where a dict
    takes ten times that. Ids far outside the dense range go to a small dict."""

    def __init__(self, typecode: str = "q"):
        self.values = array(typecode)
        self.outliers: dict[int, int] = {}

    def __setitem__(self, key: int, value: int) -> None:
        size = len(self.values)
        if 0 <= key < size:
            self.values[key] = value
        elif 0 <= key < 2 * size + 1_000_000:
            grown = max(key + 1, 2 * size)
            self.values.extend(array(self.values.typecode, [0]) * (grown - size))
            self.values[key] = value
        else:
            self.outliers[key] = value

    def get(self, key: int, default=None):
        inside = 0 <= key < len(self.values)
        value = self.values[key] if inside else self.outliers.get(key, 0)
        return default if value == 0 else value

    def __contains__(self, key: int) -> bool:
        return self.get(key) is not None

    def __getitem__(self, key: int) -> int:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value


class PostMap:
    """Source post id -> (post pk, thread pk, is an answer)."""

    def __init__(self):
        self.pk, self.thread, self.answer = IdMap(), IdMap(), IdMap("b")

    def __setitem__(self, key: int, value: tuple[int, int, bool]) -> None:
        self.pk[key], self.thread[key], self.answer[key] = value[0], value[1], int(value[2])

    def __contains__(self, key: int) -> bool:
        return key in self.pk

    def get(self, key: int, default=None):
        pk = self.pk.get(key)
        if pk is None:
            return default
        return pk, self.thread[key], bool(self.answer.get(key, 0))

    def __getitem__(self, key: int):
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found


_MS_OFFSET = 1 << 46  # keeps times before 1970 positive
_TIME_BITS = 50


class Plan:
    """What the first pass learns: each answer's and comment's position in its thread (by
    date), each thread's counters and each post's up-votes.

    A thread's items are packed into one int each (question, time, kind, id) and sorted
    once: a million posts cost tens of megabytes, not the hundreds tuples would."""

    def __init__(self):
        self.asked: set[int] = set()
        self.parent = IdMap()
        self.items: list[int] = []
        self.votes = IdMap("i")
        self.accepted_on: dict[int, datetime] = {}  # answer -> its acceptance (VoteTypeId 1)
        self.answer_positions = IdMap("i")
        self.comment_positions = IdMap("i")
        self.threads: dict[int, tuple[int, int, int | None, int]] = {}
        self.ascending = {"comment": True, "vote": True}
        self._last = {"comment": -1, "vote": -1}

    def seen(self, kind: str, source_id: int) -> None:
        """Ids of Comments.xml and Votes.xml in file order (see :class:`Done`)."""
        if source_id <= self._last[kind]:
            self.ascending[kind] = False
        self._last[kind] = source_id

    @staticmethod
    def _ms(when: datetime) -> int:
        return int(when.timestamp() * 1000) + _MS_OFFSET

    def _add(self, question: int, when: datetime, comment: bool, source_id: int) -> None:
        if question >= 0 and 0 <= source_id < (1 << 32):
            ms = min(max(self._ms(when), 0), (1 << _TIME_BITS) - 1)
            self.items.append((((question << _TIME_BITS | ms) << 1 | comment) << 32)
                              | source_id)

    def question(self, source_id: int) -> None:
        self.asked.add(source_id)

    def answer(self, source_id: int, question: int, when: datetime) -> None:
        self.parent[source_id] = question
        self._add(question, when, False, source_id)

    def comment(self, source_id: int, post: int, when: datetime) -> None:
        question = post if post in self.asked else self.parent.get(post)
        if question is not None:
            self._add(question, when, True, source_id)

    def vote(self, post: int) -> None:
        self.votes[post] = self.votes.get(post, 0) + 1

    def settle(self) -> None:
        """Positions and counters; the raw items are dropped."""
        items, self.items = self.items, []
        items.sort()
        current, count, answers, last = None, 1, 0, None

        def close():
            if current is not None and current in self.asked:
                self.threads[current] = (count, answers, last, self.votes.get(current, 0))

        for item in items:
            source_id = item & 0xFFFFFFFF
            comment = (item >> 32) & 1
            rest = item >> 33
            question, ms = rest >> _TIME_BITS, rest & ((1 << _TIME_BITS) - 1)
            if question != current:
                close()
                current, count, answers = question, 1, 0
            count += 1
            (self.comment_positions if comment else self.answer_positions)[source_id] = count
            answers += not comment
            last = ms - _MS_OFFSET
        close()
        for question in self.asked:
            if question not in self.threads:
                self.threads[question] = (1, 0, None, self.votes.get(question, 0))
        self.asked, self.parent = set(), IdMap()


def _no_commit_wait() -> None:
    """Each batch is its own transaction, and a lost one is simply imported again (its
    ImportedObject rows go with it): waiting for every commit to reach the disk buys
    nothing here, and costs most of the time at a million posts."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")


class Done:
    """Which rows of Comments.xml or Votes.xml earlier runs imported.

    Dumps list them by ascending Id, so one watermark row says it (every Id up to it is
    in), written in each batch's transaction: a million votes need no million bookkeeping
    rows. A file in another order falls back to one :class:`ImportedObject` per row."""

    def __init__(self, importer: StackExchangeImport, kind: str, ascending: bool):
        self.importer, self.kind, self.ascending = importer, kind, ascending
        self.mark = f"{kind}<="
        found = ImportedObject.objects.filter(source=importer.source, kind=self.mark,
                                              source_id=0).first()
        self.upto = found.object_id if found else 0
        self.ids = importer._done(kind)

    def __contains__(self, source_id: int) -> bool:
        return source_id <= self.upto or source_id in self.ids

    def record(self, pairs: list[tuple[int, int]], upto: int) -> None:
        """Inside the batch's transaction: ``(source id, pk)`` written, ``upto`` read."""
        if not self.ascending:
            self.importer._record(self.kind, [(s, pk, None) for s, pk in pairs])
        elif upto > self.upto:
            ImportedObject.objects.update_or_create(
                source=self.importer.source, kind=self.mark, source_id=0,
                defaults={"object_id": upto})
            self.upto = upto


class PlanPass:
    """The first pass of :class:`~.importer.StackExchangeImport`."""

    def planned(self) -> None:
        """A first, read-only pass: where each post goes and what each thread counts.

        Answers and comments live in different files, so a thread's order by date is known
        only once both are read. Knowing it first lets every post be written once in its
        final form (position by date, vote counts) instead of rewritten afterwards, which
        for a million posts costs more than writing them.
        """
        plan = self.plan
        for batch in self._stream("Posts.xml", "posts", "Reading posts"):
            for row in batch:
                kind = row.get("PostTypeId")
                try:
                    source_id = as_int(row.get("Id"), "Id")
                    when = parse_date(row.get("CreationDate"))
                    if kind == "1" and (row.get("Title") or "").strip():
                        plan.question(source_id)
                    elif kind == "2":
                        plan.answer(source_id, as_int(row.get("ParentId"), "ParentId"), when)
                except Skip:
                    continue
        if (self.dir / "Comments.xml").is_file():
            for batch in self._stream("Comments.xml", "comments", "Reading comments"):
                for row in batch:
                    try:
                        plan.seen("comment", as_int(row.get("Id"), "Id"))
                        if (row.get("Text") or "").strip():
                            when = parse_date(row.get("CreationDate"))
                            plan.comment(as_int(row.get("Id"), "Id"),
                                         as_int(row.get("PostId"), "PostId"), when)
                    except Skip:
                        continue
        if (self.dir / "Votes.xml").is_file():
            for batch in self._stream("Votes.xml", "votes", "Reading votes"):
                for row in batch:
                    try:
                        plan.seen("vote", as_int(row.get("Id"), "Id"))
                    except Skip:
                        continue
                    if row.get("VoteTypeId") == "2":
                        try:
                            parse_date(row.get("CreationDate"))
                            plan.vote(as_int(row.get("PostId"), "PostId"))
                        except Skip:
                            continue
                    elif row.get("VoteTypeId") == "1":  # when the asker accepted it
                        try:
                            plan.accepted_on[as_int(row.get("PostId"), "PostId")] = parse_date(
                                row.get("CreationDate"))
                        except Skip:
                            continue
        plan.settle()
        # What the plan and the maps hold lives to the end: the collector need not walk it.
        gc.collect()
        gc.freeze()
