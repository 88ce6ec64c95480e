"""One import of one dump into one space: the steps in order, and the recount at the end."""
from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Max
from tqdm import tqdm

from community.engine.scoring import write_rows
from community.importers.bulk import Rows
from community.importers.stackexchange.plan import IdMap, Plan, PlanPass, PostMap, _no_commit_wait
from community.importers.stackexchange.posts import PostsPass
from community.importers.stackexchange.reading import BATCH, DumpError, Summary, batched, rows
from community.importers.stackexchange.users import UsersPass
from community.importers.stackexchange.votes import VotesPass
from community.models import ImportedObject, Post, Space, Thread, User, Vote


class StackExchangeImport(PlanPass, UsersPass, PostsPass, VotesPass):
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
        self._password = make_password(None)
        self.members = IdMap()                   # source user -> member pk
        self.departed: dict[tuple[str, int], int] = {}  # (kind, key) -> placeholder pk
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
        for kind, source_id, pk in imported.filter(kind__startswith="gone-").values_list(
                "kind", "source_id", "object_id").iterator(chunk_size=10000):
            self.departed[(kind, source_id)] = pk
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

    def finish(self) -> None:
        """Threads an earlier run made and this one added to are counted and numbered
        again; then every score, and the search index of the new threads."""
        from community.content import search_index
        from community.content.search import VECTOR_SQL
        from community.engine import answer_order, scoring

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
        answer_order.answers_rescore(space_id=space)  # the "most helpful" order
        scoring.rescore_threads(
            also=f"search_vector = COALESCE(t.search_vector, {VECTOR_SQL})"
            if connection.vendor == "postgresql" else "")
        search_index.index_missing()  # every new post's vector and words, in one statement
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
