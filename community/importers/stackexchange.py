"""Bring a Stack Exchange data dump into a space.

Streams each XML file with ``iterparse`` (memory stays flat whatever the file size), writes
in batches with ``bulk_create``, and records every source row it turned into an object in
:class:`~community.models.ImportedObject` in the same transaction as the objects: running it
twice imports nothing twice, and an interrupted run continues where it stopped.

Mapping (ARCHITECTURE.md's words): users become unclaimed members (no email in a dump; they
claim their account through a verified email later), questions become question threads with
their tags, answers become answers, comments become replies to their post, up-votes become
likes (on questions) and helpful votes (on answers) without a voter (dump votes are
anonymous), ``AcceptedAnswerId`` becomes the accepted answer. Posts whose author is gone
belong to the "former member". Bodies are the dump's HTML, kept as the source and sanitised
with the renderer's allowlist (``body_format="html"``). Dates are kept.

An import writes no engagement events: history is not news, nobody is notified. Counters,
post positions (by date) and scores are rebuilt at the end.
"""
from __future__ import annotations

import contextlib
import csv
import gc
import multiprocessing
import os
import threading
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.parsers import expat

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Max
from django.utils.text import slugify
from tqdm import tqdm

from community import rendering
from community.importers.bulk import Rows
from community.models import (
    ImportedObject,
    Post,
    Space,
    Thread,
    User,
    Vote,
)
from community.scoring import write_rows
from community.services.conversations import existing_handles, render_body, tags_resolve
from community.services.users import former_member_get

BATCH = 2000
SAMPLES = 5  # skipped source ids listed per reason


class DumpError(Exception):
    """The directory is not a dump we can read (one clear sentence)."""


class Skip(Exception):
    pass


@dataclass
class Summary:
    read: Counter = field(default_factory=Counter)
    imported: Counter = field(default_factory=Counter)
    already: Counter = field(default_factory=Counter)
    skipped: dict = field(default_factory=lambda: defaultdict(Counter))
    samples: dict = field(default_factory=lambda: defaultdict(list))

    def skip(self, kind: str, reason: str, source_id) -> None:
        self.skipped[kind][reason] += 1
        examples = self.samples[(kind, reason)]
        if len(examples) < SAMPLES:
            examples.append(str(source_id))

    def lines(self) -> list[str]:
        out = []
        for kind in ("users", "questions", "answers", "comments", "votes", "accepted"):
            skipped = sum(self.skipped[kind].values())
            out.append(f"{kind:<10} read {self.read[kind]:>9,}  imported {self.imported[kind]:>9,}"
                       f"  already there {self.already[kind]:>9,}  skipped {skipped:>7,}")
            for reason, n in self.skipped[kind].most_common():
                ids = ", ".join(self.samples[(kind, reason)])
                out.append(f"    skipped {n:,}: {reason} (e.g. {ids})")
        return out


def parse_date(value: str | None) -> datetime:
    if not value:
        raise Skip("no CreationDate")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Skip(f"bad date {value[:30]!r}") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def as_int(value: str | None, name: str) -> int:
    if value is None or value == "":
        raise Skip(f"no {name}")
    try:
        return int(value)
    except ValueError:
        raise Skip(f"{name} is not a number") from None


class _Refused(Exception):
    pass


def _refuse(*_args):
    raise _Refused


def rows(path: Path, root_tag: str) -> Iterator[dict]:
    """The attributes of each ``<row>`` of ``path``, read a megabyte at a time.

    Plain expat with element handlers: no tree is built, so memory stays flat whatever the
    file size. It refuses a DTD and every kind of entity declaration (a
    dump never has one; an entity bomb or an external entity would)."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    found: list[dict] = []
    root: list[str] = []

    def start(tag, attrs):
        if not root:
            root.append(tag)
        elif tag == "row":
            found.append(attrs)

    parser.StartElementHandler = start
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(1 << 20)
            try:
                parser.Parse(chunk, not chunk)
            except _Refused:
                raise DumpError(f"{path.name} declares entities or a DTD, which a dump never "
                                "does: refused.") from None
            except expat.ExpatError as error:
                if not root:
                    raise DumpError(f"{path.name} is not XML ({error}).") from None
                yield from found
                raise DumpError(f"{path.name} is broken XML ({error}): fix the file and run "
                                "again (what was imported stays, and nothing twice).") from None
            if root and root[0] != root_tag:
                raise DumpError(f"{path.name} is not a Stack Exchange dump file: its root "
                                f"element is <{root[0]}>, not <{root_tag}>.")
            yield from found
            found.clear()
            if not chunk:
                break
    if not root:
        raise DumpError(f"{path.name} is empty.")


def batched(items: Iterator[dict], size: int = BATCH) -> Iterator[list[dict]]:
    batch: list[dict] = []
    try:
        for item in items:
            batch.append(item)
            if len(batch) >= size:
                yield batch
                batch = []
    except DumpError:
        if batch:  # the rows read before the break are imported, then the error stops us
            yield batch
        raise
    if batch:
        yield batch


def _render_many(job: tuple[str, list[str]]) -> list[tuple[str, str]]:
    """``(html, text)`` of each body: dump HTML sanitised, or comment markdown rendered
    (without @mention lookups: no database here). Runs in the render worker."""
    kind, bodies = job
    if kind == "html":
        done = [rendering.sanitize_html(body) for body in bodies]
    else:
        done = [rendering.render(body) for body in bodies]
    return [(r.html, r.text) for r in done]


class _Done:
    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value


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


def _max_id(batch: list[dict]) -> int:
    ids = [int(v) for v in (row.get("Id") for row in batch) if v and v.lstrip("-").isdigit()]
    return max(ids, default=0)


class StackExchangeImport:
    """One import of one dump into one space.

    What the import already made (source id -> our id) is kept in memory while it runs,
    read back from :class:`ImportedObject` at the start (that is how a second run skips and
    an interrupted one resumes); rows are written with :class:`~.bulk.Rows` (``COPY``).
    """

    def __init__(self, directory: Path, *, space: Space, staff_ids: set[int] = frozenset(),
                 progress: bool = True, batch: int = BATCH, workers: int | None = None):
        self.dir = Path(directory)
        self.workers = (1 if (os.cpu_count() or 1) > 1 else 0) if workers is None else workers
        self.pool = None
        self.space = space
        self.staff_ids = set(staff_ids)
        self.progress = progress
        self.batch = batch
        self.source = f"stackexchange:{space.slug}"
        self.summary = Summary()
        self._former = None
        self._password = make_password(None)
        self.members = IdMap()                   # source user -> member pk
        self.hosts: set[int] = set()             # member pks of staff hosts
        self.threads = IdMap()                   # source question -> thread pk
        self.posts = PostMap()                   # source post -> (pk, thread, answer)
        self.positions: dict[int, int] = {}     # thread pk -> last position used
        self.plan = Plan()
        self.earlier: set[int] = set()           # thread pks an earlier run made
        self.touched: set[int] = set()           # ...that this run adds to
        self.records = Rows(ImportedObject, source=self.source, extra=None)
        self.post_rows = Rows(Post, parent_id=None, status=Post.Status.PUBLISHED)

    # What earlier runs made ----------------------------------------------------------------

    def _load(self) -> None:
        imported = ImportedObject.objects.filter(source=self.source)
        for source_id, pk in imported.filter(kind="user").values_list(
                "source_id", "object_id").iterator(chunk_size=10000):
            self.members[source_id] = pk
        self.hosts = set(User.objects.filter(is_host=True).values_list("pk", flat=True))
        for source_id, pk in imported.filter(kind="thread").values_list(
                "source_id", "object_id").iterator(chunk_size=10000):
            self.threads[source_id] = pk
        with connection.cursor() as cursor:
            cursor.execute("""
                SELECT io.source_id, p.id, p.thread_id, p.kind
                FROM community_importedobject io JOIN community_post p ON p.id = io.object_id
                WHERE io.source = %s AND io.kind = 'post'""", [self.source])
            while chunk := cursor.fetchmany(10000):
                for source_id, pk, thread, kind in chunk:
                    self.posts[source_id] = (pk, thread, kind == Post.Kind.ANSWER)
        self.earlier = set(ImportedObject.objects.filter(
            source=self.source, kind="thread").values_list("object_id", flat=True))
        if self.threads:
            self.positions = dict(
                Post.objects.filter(thread__space=self.space).order_by()
                .values("thread_id").annotate(m=Max("position")).values_list("thread_id", "m"))

    def _done(self, kind: str) -> set[int]:
        return set(ImportedObject.objects.filter(source=self.source, kind=kind)
                   .values_list("source_id", flat=True).iterator(chunk_size=10000))

    def _record(self, kind: str, pairs: list[tuple[int, int, int | None]]) -> None:
        ids = self.records.ids(len(pairs))
        self.records.write([{"id": i, "kind": kind, "source_id": s, "object_id": o,
                             "extra": x} for i, (s, o, x) in zip(ids, pairs, strict=True)])

    @property
    def former(self) -> User:
        if self._former is None:
            self._former = former_member_get()
        return self._former

    def _file(self, name: str) -> Path:
        path = self.dir / name
        if not path.is_file():
            raise DumpError(f"{self.dir} is not a Stack Exchange dump: {name} is missing.")
        return path

    def _stream(self, name: str, root: str, desc: str,
                progress: bool | None = None) -> Iterator[list[dict]]:
        shown = self.progress if progress is None else progress
        bar = tqdm(desc=desc, unit=" rows", disable=not shown, mininterval=1)
        for batch in batched(rows(self._file(name), root), self.batch):
            yield batch
            bar.update(len(batch))
        bar.close()

    # Steps -------------------------------------------------------------------------------

    def run(self) -> Summary:
        self._file("Posts.xml")
        self._file("Users.xml")
        _no_commit_wait()
        try:
            self._load()
            self.planned()
            self.users()
            with self._render_workers():
                self.posts_pass()
            votes = (self.dir / "Votes.xml").is_file()
            # Votes need only the posts, now all in: a second connection writes them while
            # this one writes comments (each keeps one core's database busy).
            beside = self._votes_beside() if votes and self._can_write_beside() else None
            if (self.dir / "Comments.xml").is_file():
                with self._render_workers():
                    self.comments()
            self.accepted()
            if beside is not None:
                beside()  # waits for the votes
            elif votes:
                self.votes()
            self.finish()
        finally:
            gc.unfreeze()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("RESET synchronous_commit")
        return self.summary

    @contextlib.contextmanager
    def _render_workers(self):
        """Render workers fork here: they only render and never touch the database."""
        self.pool = (multiprocessing.get_context("fork").Pool(self.workers)
                     if self.workers else None)
        try:
            yield
        finally:
            if self.pool is not None:
                self.pool.terminate()
                self.pool.join()
                self.pool = None

    def _can_write_beside(self) -> bool:
        # A second writer has its own connection, which sees only committed rows: not
        # inside an enclosing transaction (a caller's, or a test's).
        return connection.vendor == "postgresql" and not connection.in_atomic_block

    def _votes_beside(self):
        """Votes written by a second process when this one runs alone (the command line):
        each process keeps a core busy. Forking a process in which other threads hold
        database connections (a server embedding the importer, a test's live server) is
        not safe, so there a thread with its own connection writes them: the database
        still works on two cores, the Python side shares one."""
        if self.workers > 0 and threading.active_count() == 1:
            child, reader = self._votes_in_process()
            return lambda: self._votes_process_join(child, reader)
        outcome: dict = {}

        def write_votes():
            try:
                _no_commit_wait()
                self.votes(progress=False)
            except BaseException as error:  # reported by the importer, which stops
                outcome["error"] = error
            finally:
                connection.close()

        thread = threading.Thread(target=write_votes, name="import-votes", daemon=True)
        thread.start()
        return lambda: self._votes_thread_join(thread, outcome)

    def _votes_thread_join(self, thread, outcome) -> None:
        thread.join()
        if "error" in outcome:
            error = outcome["error"]
            raise DumpError(f"Votes were not imported ({type(error).__name__}: {error}); "
                            "run again to finish them.")

    def _votes_in_process(self):
        context = multiprocessing.get_context("fork")
        reader, writer = context.Pipe(duplex=False)
        connection.close()  # each process opens its own; never one socket for two
        child = context.Process(target=self._votes_child, args=(writer,), daemon=True)
        child.start()
        writer.close()
        _no_commit_wait()
        return child, reader

    def _votes_child(self, writer) -> None:
        try:
            _no_commit_wait()
            self.summary, self.touched = Summary(), set()
            self.progress = False
            self.votes()
            writer.send(("done", self.summary, self.touched))
        except BaseException as error:  # reported by the parent, which stops the run
            writer.send(("failed", f"{type(error).__name__}: {error}", None))
        finally:
            connection.close()
            writer.close()

    def _votes_process_join(self, child, reader) -> None:
        try:
            outcome, found, touched = reader.recv()
        except EOFError:
            outcome, found, touched = "failed", "the vote writer stopped", None
        child.join()
        if outcome != "done":
            raise DumpError(f"Votes were not imported ({found}); run again to finish them.")
        for kind in ("read", "imported", "already"):
            getattr(self.summary, kind)["votes"] += getattr(found, kind)["votes"]
        self.summary.skipped["votes"].update(found.skipped["votes"])
        for key, examples in found.samples.items():
            self.summary.samples[key].extend(examples)
        self.touched |= touched

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
        plan.settle()
        # What the plan and the maps hold lives to the end: the collector need not walk it.
        gc.collect()
        gc.freeze()

    def users(self) -> None:
        table = Rows(User, password=self._password, email=None, is_unclaimed=True,
                     trust_level=User.Trust.MEMBER, is_active=True)
        for batch in self._stream("Users.xml", "users", "Users"):
            self.summary.read["users"] += len(batch)
            fresh = []
            for row in batch:
                try:
                    source_id = as_int(row.get("Id"), "Id")
                    if source_id < 0:
                        raise Skip("system account (the Community bot)")
                    joined = parse_date(row.get("CreationDate"))
                except Skip as reason:
                    self.summary.skip("users", str(reason), row.get("Id"))
                    continue
                if source_id in self.members:
                    self.summary.already["users"] += 1
                else:
                    fresh.append(self._user(source_id, row, joined))
            if not fresh:
                continue
            with transaction.atomic():
                taken = set(User.objects.filter(
                    username__in=[u["username"] for u in fresh]).values_list("username",
                                                                           flat=True))
                for user, pk in zip(fresh, table.ids(len(fresh)), strict=True):
                    user["id"] = pk
                    if user["username"] in taken:
                        user["username"] = (user["username"][:26] + "_imp")[:30]
                table.write(fresh)
                self._record("user", [(u["_source"], u["id"], None) for u in fresh])
            for user in fresh:
                self.members[user["_source"]] = user["id"]
                if user["is_host"]:
                    self.hosts.add(user["id"])
            self.summary.imported["users"] += len(fresh)

    def _user(self, source_id: int, row: dict, joined: datetime) -> dict:
        name = (row.get("DisplayName") or f"User {source_id}").strip()[:60]
        base = slugify(name).replace("-", "_")[:20] or "member"
        about = rendering.sanitize_html(row.get("AboutMe") or "").text[:500]
        try:
            reputation = int(row.get("Reputation") or 0)
        except ValueError:
            reputation = None
        return {
            "_source": source_id, "username": f"{base}_se{source_id}"[:30],
            "display_name": name, "bio": about, "location": (row.get("Location") or "")[:100],
            "date_joined": joined, "imported_reputation": reputation,
            "is_host": source_id in self.staff_ids,
        }

    def _owner(self, row: dict, key: str) -> tuple[int, bool]:
        try:
            pk = self.members.get(int(row.get(key) or ""))
        except ValueError:
            pk = None
        if pk is None:
            return self.former.pk, False
        return pk, pk in self.hosts

    # Rendering runs in a worker process while the batch before is written ---------------

    def _render(self, kind: str, bodies: list[str]):
        if self.pool is None:
            return _Done(_render_many((kind, bodies)))
        return self.pool.apply_async(_render_many, ((kind, bodies),))

    def _pipelined(self, batches, prepare, write) -> None:
        """``prepare(batch)`` -> ``(payload, kind, bodies)`` or None, then
        ``write(payload, rendered)``; batch N is written while N+1 is being rendered."""
        pending = None
        for batch in batches:
            prepared = prepare(batch)
            job = None
            if prepared:
                payload, kind, bodies = prepared
                job = (payload, self._render(kind, bodies))
            if pending:
                write(pending[0], pending[1].get())
            pending = job
        if pending:
            write(pending[0], pending[1].get())

    # Questions and answers: one pass over Posts.xml ----------------------------------------

    def posts_pass(self) -> None:
        left: list = []  # answers read before their question (a dump sorted otherwise)
        self._pipelined(self._stream("Posts.xml", "posts", "Posts"), self._posts_prepare,
                        lambda payload, rendered: self._posts_store(payload, rendered, left))
        ready = [(item, r) for item, r in left if item[3] in self.threads]
        for item, _ in left:
            if item[3] not in self.threads:
                self.summary.skip("answers", "its question is not in the dump", item[0])
        if ready:
            self._posts_write("answers", [self._answer_at(i) for i, _ in ready],
                              [r for _, r in ready])

    def _posts_prepare(self, batch):
        questions, answers = [], []
        for row in batch:
            kind = row.get("PostTypeId")
            if kind == "1":
                self.summary.read["questions"] += 1
                try:
                    source_id = as_int(row.get("Id"), "Id")
                    created = parse_date(row.get("CreationDate"))
                    if not (row.get("Title") or "").strip():
                        raise Skip("no Title")
                except Skip as reason:
                    self.summary.skip("questions", str(reason), row.get("Id"))
                    continue
                if source_id in self.threads:
                    self.summary.already["questions"] += 1
                else:
                    questions.append((source_id, row, created))
            elif kind == "2":
                self.summary.read["answers"] += 1
                try:
                    source_id = as_int(row.get("Id"), "Id")
                    created = parse_date(row.get("CreationDate"))
                    parent = as_int(row.get("ParentId"), "ParentId")
                except Skip as reason:
                    self.summary.skip("answers", str(reason), row.get("Id"))
                    continue
                if source_id in self.posts:
                    self.summary.already["answers"] += 1
                elif parent not in self.threads and parent not in self.plan.threads:
                    self.summary.skip("answers", "its question is not in the dump", source_id)
                else:
                    # Thread pk resolved when written: the question may be in this batch.
                    answers.append((source_id, row, created, parent, None,
                                    row.get("Body") or "", "OwnerUserId"))
        if not questions and not answers:
            return None
        bodies = [r.get("Body") or "" for _, r, _ in questions] + [a[5] for a in answers]
        return (questions, answers), "html", bodies

    def _answer_at(self, item):
        return item[:3] + (self.threads[item[3]],) + item[4:]

    def _posts_store(self, payload, rendered, left) -> None:
        questions, answers = payload
        if questions:
            self._questions_write(questions, rendered[:len(questions)])
        ready, ready_rendered = [], []
        for item, done in zip(answers, rendered[len(questions):], strict=True):
            if item[3] in self.threads:
                ready.append(self._answer_at(item))
                ready_rendered.append(done)
            else:
                left.append((item, done))
        if ready:
            self._posts_write("answers", ready, ready_rendered)

    def _questions_write(self, fresh, rendered) -> None:
        thread_table = Rows(Thread, space_id=self.space.pk, kind=Thread.Kind.QUESTION)
        tag_table = Rows(Thread.tags.through)
        threads, posts, tag_names = [], [], []
        with transaction.atomic():
            thread_ids = thread_table.ids(len(fresh))
            post_ids = self.post_rows.ids(len(fresh))
            for (source_id, row, created), (html, text), thread_id, post_id in zip(
                    fresh, rendered, thread_ids, post_ids, strict=True):
                author_id, is_staff = self._owner(row, "OwnerUserId")
                title = " ".join(row["Title"].split())[:200]
                closed = row.get("ClosedDate")
                counts = self.plan.threads.get(source_id)
                posts_in, answers_in, last, likes = counts or (1, 0, None, 0)
                last_at = created if last is None else max(
                    created, datetime.fromtimestamp(last / 1000, UTC))
                threads.append({
                    "post_count": posts_in, "answer_count": answers_in,
                    "like_count": likes, "last_activity_at": last_at,
                    "id": thread_id, "title": title, "slug": slugify(title)[:80] or "thread",
                    "author_id": author_id, "author_is_staff": is_staff, "created_at": created,
                    "search_body": text[:20000],
                    "closed_at": _maybe_date(closed), "view_count": _int0(row.get("ViewCount")),
                    "closed_reason": "Closed on the original site." if closed else "",
                    "opening_post_id": post_id,
                })
                posts.append({
                    "id": post_id, "thread_id": thread_id, "kind": Post.Kind.OPENING,
                    "author_id": author_id,
                    "author_role": Post.Role.STAFF if is_staff else Post.Role.MEMBER,
                    "position": 1, "body": row.get("Body") or "", "body_format": "html",
                    "body_html": html, "render_version": rendering.RENDER_VERSION,
                    "created_at": created, "like_count": self.plan.votes.get(source_id, 0),
                })
                tag_names.append([t for t in (row.get("Tags") or "").replace(">", " ").replace(
                    "<", " ").split() if t])
            thread_table.write(threads)
            self.post_rows.write(posts)
            resolved = {t.name: t.pk for t in tags_resolve(
                {n for names in tag_names for n in names})} if any(tag_names) else {}
            links = []
            for thread_id, names in zip(thread_ids, tag_names, strict=True):
                tags = {resolved[n] for n in (slugify(n)[:40] for n in names) if n in resolved}
                links += [{"thread_id": thread_id, "tag_id": tag} for tag in tags]
            for link, pk in zip(links, tag_table.ids(len(links)), strict=True):
                link["id"] = pk
            tag_table.write(links)
            accepted = [_int_or_none(r.get("AcceptedAnswerId")) for _, r, _ in fresh]
            self._record("thread", [(s, t, a) for (s, _, _), t, a in zip(
                fresh, thread_ids, accepted, strict=True)])
            self._record("post", [(s, p, None) for (s, _, _), p in zip(fresh, post_ids,
                                                                         strict=True)])
        for (source_id, _, _), thread_id, post_id in zip(fresh, thread_ids, post_ids,
                                                         strict=True):
            self.threads[source_id] = thread_id
            self.posts[source_id] = (post_id, thread_id, False)
        self.summary.imported["questions"] += len(fresh)

    def _posts_write(self, kind: str, items, rendered, upto: int = 0) -> None:
        """Answers or replies: (source id, row, date, thread pk, parent pk, body, owner key),
        with their ``(html, text)``."""
        answers = kind == "answers"
        posts = []
        with transaction.atomic():
            ids = self.post_rows.ids(len(items))
            for (source, row, created, thread_id, parent_id, body, owner_key), (html, _), pk \
                    in zip(items, rendered, ids, strict=True):
                author_id, is_staff = self._owner(row, owner_key)
                if thread_id in self.earlier:  # added to what an earlier run made
                    self.touched.add(thread_id)
                    position = self.positions[thread_id] = self.positions.get(thread_id, 0) + 1
                else:
                    position = (self.plan.answer_positions if answers
                                else self.plan.comment_positions)[source]
                posts.append({
                    "id": pk, "thread_id": thread_id, "parent_id": parent_id,
                    "kind": Post.Kind.ANSWER if answers else Post.Kind.REPLY,
                    "author_id": author_id,
                    "author_role": Post.Role.STAFF if is_staff else Post.Role.MEMBER,
                    "position": position, "body": body,
                    "body_format": "html" if answers else "markdown",
                    "body_html": html, "render_version": rendering.RENDER_VERSION,
                    "created_at": created,
                    "helpful_count": self.plan.votes.get(source, 0) if answers else 0,
                })
            self.post_rows.write(posts)
            if answers:
                self._record("post", [(i[0], pk, None) for i, pk in zip(items, ids,
                                                                         strict=True)])
            else:
                self.comments_done.record([(i[0], pk) for i, pk in zip(items, ids,
                                                                        strict=True)], upto)
        if answers:
            for item, pk in zip(items, ids, strict=True):
                self.posts[item[0]] = (pk, item[3], True)
        self.summary.imported[kind] += len(items)

    def comments(self) -> None:
        done = self.comments_done = Done(self, "comment", self.plan.ascending["comment"])

        def prepare(batch):
            self.summary.read["comments"] += len(batch)
            fresh = []
            for row in batch:
                try:
                    if not (row.get("Text") or "").strip():
                        raise Skip("no Text")
                    source_id = as_int(row.get("Id"), "Id")
                    created = parse_date(row.get("CreationDate"))
                    post_source = as_int(row.get("PostId"), "PostId")
                except Skip as reason:
                    self.summary.skip("comments", str(reason), row.get("Id"))
                    continue
                if source_id in done:
                    self.summary.already["comments"] += 1
                elif post_source not in self.posts:
                    self.summary.skip("comments", "its post is not in the dump", source_id)
                else:
                    parent, thread, _ = self.posts[post_source]
                    fresh.append((source_id, row, created, thread, parent, row["Text"],
                                  "UserId"))
            if not fresh:
                return None
            return (fresh, _max_id(batch)), "markdown", [f[5] for f in fresh]

        def write(payload, rendered):
            fresh, upto = payload
            # The worker renders without the member list: @mentions of members are
            # rendered again here, where the database is.
            wanted = [rendering.mention_candidates(f[5]) for f in fresh]
            handles = set().union(*wanted)
            known = existing_handles(handles) if handles else set()
            if known:
                rendered = list(rendered)
                for index, names in enumerate(wanted):
                    if names & known:
                        again = render_body(fresh[index][5])
                        rendered[index] = (again.html, again.text)
            self._posts_write("comments", fresh, rendered, upto)

        self._pipelined(self._stream("Comments.xml", "comments", "Comments"), prepare, write)

    def accepted(self) -> None:
        pending = ImportedObject.objects.filter(source=self.source, kind="thread",
                                                extra__isnull=False)
        last = None
        while True:
            page = pending if last is None else pending.filter(source_id__gt=last)
            chunk = list(page.order_by("source_id")
                         .values_list("source_id", "object_id", "extra")[:self.batch])
            if not chunk:
                break
            last = chunk[-1][0]
            current = dict(Thread.objects.filter(pk__in=[t for _, t, _ in chunk])
                           .values_list("pk", "accepted_answer_id"))
            changes = []
            for source_id, thread_id, answer_source in chunk:
                self.summary.read["accepted"] += 1
                answer = self.posts.get(answer_source)
                if answer is None or not answer[2] or answer[1] != thread_id:
                    self.summary.skip("accepted", "the accepted answer is not in the dump",
                                      source_id)
                elif current.get(thread_id) == answer[0]:
                    self.summary.already["accepted"] += 1
                else:
                    changes.append(Thread(pk=thread_id, accepted_answer_id=answer[0]))
            with transaction.atomic():
                write_rows(Thread, changes, ["accepted_answer"])
            self.summary.imported["accepted"] += len(changes)

    def votes(self, progress: bool | None = None) -> None:
        done = Done(self, "vote", self.plan.ascending["vote"])
        table = Rows(Vote, voter_id=None)
        for batch in self._stream("Votes.xml", "votes", "Votes", progress):
            self.summary.read["votes"] += len(batch)
            fresh = []
            for row in batch:
                try:
                    source_id = as_int(row.get("Id"), "Id")
                    if row.get("VoteTypeId") != "2":
                        raise Skip("not an up-vote (down-votes, favourites, bounties and "
                                   "moderation votes are not imported)")
                    created = parse_date(row.get("CreationDate"))
                    post_source = as_int(row.get("PostId"), "PostId")
                except Skip as reason:
                    self.summary.skip("votes", str(reason), row.get("Id"))
                    continue
                if source_id in done:
                    self.summary.already["votes"] += 1
                elif post_source not in self.posts:
                    self.summary.skip("votes", "its post is not in the dump (deleted)",
                                      source_id)
                else:
                    pk, thread, is_answer = self.posts[post_source]
                    if thread in self.earlier:
                        self.touched.add(thread)
                    fresh.append({"_source": source_id, "post_id": pk, "created_at": created,
                                  "kind": Vote.Kind.HELPFUL if is_answer else Vote.Kind.LIKE})
            if not fresh:
                continue
            with transaction.atomic():
                for vote, pk in zip(fresh, table.ids(len(fresh)), strict=True):
                    vote["id"] = pk
                table.write(fresh)
                done.record([(v["_source"], v["id"]) for v in fresh], _max_id(batch))
            self.summary.imported["votes"] += len(fresh)

    def finish(self) -> None:
        """Threads an earlier run made and this one added to are counted and numbered
        again; then every score, and the search index of the new threads."""
        from community import scoring
        from community.search import VECTOR_SQL

        space = self.space.pk
        with transaction.atomic():
            if self.touched:
                self._recount(sorted(self.touched))
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # Fresh statistics, or the planner scores millions of rows blind.
                    cursor.execute("ANALYZE community_post, community_thread, community_vote")
            Space.objects.filter(pk=space).update(
                thread_count=Thread.objects.filter(space_id=space, is_deleted=False,
                                                   merged_into__isnull=True).count())
        # Every thread row is rewritten once with its score and, if new, its text vector:
        # each rewrite of a thread re-inserts it into all its indexes, GIN included.
        scoring.rescore_threads(
            also=f"search_vector = COALESCE(t.search_vector, {VECTOR_SQL})"
            if connection.vendor == "postgresql" else "")
        scoring.rescore_members()

    def _recount(self, threads: list[int]) -> None:
        """Positions by date, vote and post counters of ``threads``, from the rows (three
        queries and two writes for them all; only threads an earlier run made get here)."""
        from django.db.models import Count, Q

        votes = {row["post_id"]: row for row in Vote.objects.filter(
            post__thread_id__in=threads).values("post_id").annotate(
            likes=Count("pk", filter=Q(kind=Vote.Kind.LIKE)),
            helpful=Count("pk", filter=Q(kind=Vote.Kind.HELPFUL)))}
        by_thread: dict[int, list[Post]] = defaultdict(list)
        for post in Post.objects.filter(thread_id__in=threads).order_by(
                "thread_id", "created_at", "pk"):
            by_thread[post.thread_id].append(post)
        every = [post for posts in by_thread.values() for post in posts]
        for post in every:
            post.position += 1_000_000_000
        write_rows(Post, every, ["position"])  # out of the way of the unique pair
        changed = []
        for thread in Thread.objects.filter(pk__in=threads).only("pk", "created_at"):
            posts = by_thread[thread.pk]
            ordered = ([p for p in posts if p.kind == Post.Kind.OPENING]
                       + [p for p in posts if p.kind != Post.Kind.OPENING])
            for n, post in enumerate(ordered, start=1):
                counts = votes.get(post.pk, {})
                post.position = n
                post.like_count = counts.get("likes", 0)
                post.helpful_count = counts.get("helpful", 0)
            live = [p for p in ordered if not p.is_deleted]
            thread.post_count = len(live)
            thread.answer_count = sum(p.kind == Post.Kind.ANSWER for p in live)
            thread.last_activity_at = max([thread.created_at] + [p.created_at for p in live])
            thread.like_count = sum(p.like_count for p in live)
            changed.append(thread)
        write_rows(Post, every, ["position", "like_count", "helpful_count"])
        write_rows(Thread, changed, ["post_count", "answer_count", "last_activity_at",
                                     "like_count"])


def _int0(value) -> int:
    try:
        return max(int(value or 0), 0)
    except ValueError:
        return 0


def _int_or_none(value):
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _maybe_date(value):
    if not value:
        return None
    try:
        return parse_date(value)
    except Skip:
        return None


def staff_ids_from_roles(path: Path) -> set[int]:
    """User ids of ``derived_roles.csv`` rows that are staff or moderators (not the bot)."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return {int(row["UserId"]) for row in csv.DictReader(handle)
                if row.get("Role") not in ("system", "") and int(row["UserId"]) > 0}
