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

import csv
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Max
from django.utils.text import slugify
from tqdm import tqdm

from community import rendering
from community.models import (
    ImportedObject,
    Post,
    Space,
    Thread,
    User,
    Vote,
)
from community.scoring import write_rows
from community.services.conversations import render_body, tags_resolve
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


def rows(path: Path, root_tag: str) -> Iterator[dict]:
    """The attributes of each ``<row>`` of ``path``; the tree is cleared as it goes."""
    try:
        # defusedxml: a hostile dump cannot expand entities or reach the network.
        context = SafeET.iterparse(path, events=("start", "end"))
        _, root = next(context)
    except ET.ParseError as error:
        raise DumpError(f"{path.name} is not XML ({error}).") from None
    except DefusedXmlException:
        raise DumpError(f"{path.name} declares entities or a DTD, which a dump never "
                        "does: refused.") from None
    except StopIteration:
        raise DumpError(f"{path.name} is empty.") from None
    if root.tag != root_tag:
        raise DumpError(f"{path.name} is not a Stack Exchange dump file: its root element is "
                        f"<{root.tag}>, not <{root_tag}>.")
    try:
        for event, elem in context:
            if event == "end" and elem.tag == "row":
                yield dict(elem.attrib)
                root.clear()
    except ET.ParseError as error:
        raise DumpError(f"{path.name} is broken XML ({error}); rows before it were "
                        "imported, run again after fixing the file.") from None
    except DefusedXmlException:
        raise DumpError(f"{path.name} declares entities or a DTD, which a dump never "
                        "does: refused.") from None


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


class StackExchangeImport:
    def __init__(self, directory: Path, *, space: Space, staff_ids: set[int] = frozenset(),
                 progress: bool = True, batch: int = BATCH):
        self.dir = Path(directory)
        self.space = space
        self.staff_ids = set(staff_ids)
        self.progress = progress
        self.batch = batch
        self.source = f"stackexchange:{space.slug}"
        self.summary = Summary()
        self._former = None
        self._password = make_password(None)

    # Lookups ---------------------------------------------------------------------------

    def _mapped(self, kind: str, source_ids) -> dict[int, int]:
        ids = {i for i in source_ids if i is not None}
        if not ids:
            return {}
        return dict(ImportedObject.objects.filter(
            source=self.source, kind=kind, source_id__in=ids).values_list("source_id",
                                                                          "object_id"))

    def _record(self, kind: str, pairs: list[tuple[int, int, int | None]]) -> None:
        ImportedObject.objects.bulk_create([
            ImportedObject(source=self.source, kind=kind, source_id=s, object_id=o, extra=x)
            for s, o, x in pairs
        ])

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

    def _stream(self, name: str, root: str, desc: str) -> Iterator[list[dict]]:
        bar = tqdm(desc=desc, unit=" rows", disable=not self.progress, mininterval=1)
        for batch in batched(rows(self._file(name), root), self.batch):
            yield batch
            bar.update(len(batch))
        bar.close()

    # Steps -------------------------------------------------------------------------------

    def run(self) -> Summary:
        self._file("Posts.xml")
        self._file("Users.xml")
        self.users()
        self.questions()
        self.answers()
        if (self.dir / "Comments.xml").is_file():
            self.comments()
        self.accepted()
        if (self.dir / "Votes.xml").is_file():
            self.votes()
        self.finish()
        return self.summary

    def users(self) -> None:
        for batch in self._stream("Users.xml", "users", "Users"):
            self.summary.read["users"] += len(batch)
            valid = []
            for row in batch:
                try:
                    source_id = as_int(row.get("Id"), "Id")
                    if source_id < 0:
                        raise Skip("system account (the Community bot)")
                    valid.append((source_id, row, parse_date(row.get("CreationDate"))))
                except Skip as reason:
                    self.summary.skip("users", str(reason), row.get("Id"))
            done = self._mapped("user", [s for s, _, _ in valid])
            self.summary.already["users"] += len(done)
            fresh = [(s, r, d) for s, r, d in valid if s not in done]
            if not fresh:
                continue
            with transaction.atomic():
                users = [self._user(s, r, d) for s, r, d in fresh]
                taken = set(User.objects.filter(
                    username__in=[u.username for u in users]).values_list("username",
                                                                         flat=True))
                for user in users:
                    if user.username in taken:
                        user.username = (user.username[:26] + "_imp")[:30]
                User.objects.bulk_create(users)
                self._record("user", [(s, u.pk, None) for (s, _, _), u in zip(fresh, users,
                                                                                strict=True)])
            self.summary.imported["users"] += len(users)

    def _user(self, source_id: int, row: dict, joined: datetime) -> User:
        name = (row.get("DisplayName") or f"User {source_id}").strip()[:60]
        base = slugify(name).replace("-", "_")[:20] or "member"
        about = rendering.sanitize_html(row.get("AboutMe") or "").text[:500]
        try:
            reputation = int(row.get("Reputation") or 0)
        except ValueError:
            reputation = None
        return User(
            username=f"{base}_se{source_id}"[:30], display_name=name, email=None,
            password=self._password, bio=about, location=(row.get("Location") or "")[:100],
            date_joined=joined, is_unclaimed=True, imported_reputation=reputation,
            is_host=source_id in self.staff_ids, trust_level=User.Trust.MEMBER,
        )

    def _authors(self, source_ids) -> dict[int, User]:
        """Source user id -> (pk, is_host) of members, for a batch (1 query)."""
        mapped = self._mapped("user", source_ids)
        hosts = set(User.objects.filter(pk__in=mapped.values(), is_host=True)
                    .values_list("pk", flat=True))
        return {s: (pk, pk in hosts) for s, pk in mapped.items()}

    def _owner(self, row: dict, key: str, authors) -> tuple[int, bool]:
        try:
            source = int(row.get(key) or "")
        except ValueError:
            source = None
        if source is not None and source in authors:
            return authors[source]
        return self.former.pk, False

    def questions(self) -> None:
        for batch in self._stream("Posts.xml", "posts", "Questions"):
            batch = [r for r in batch if r.get("PostTypeId") == "1"]
            self.summary.read["questions"] += len(batch)
            valid = []
            for row in batch:
                try:
                    source_id = as_int(row.get("Id"), "Id")
                    created = parse_date(row.get("CreationDate"))
                    if not (row.get("Title") or "").strip():
                        raise Skip("no Title")
                    valid.append((source_id, row, created))
                except Skip as reason:
                    self.summary.skip("questions", str(reason), row.get("Id"))
            done = self._mapped("thread", [s for s, _, _ in valid])
            self.summary.already["questions"] += len(done)
            fresh = [v for v in valid if v[0] not in done]
            if fresh:
                self._questions_write(fresh)

    def _questions_write(self, fresh) -> None:
        authors = self._authors(int(r["OwnerUserId"]) for _, r, _ in fresh
                                if (r.get("OwnerUserId") or "").lstrip("-").isdigit())
        with transaction.atomic():
            threads, posts, tag_names = [], [], []
            for _source_id, row, created in fresh:
                author_id, is_staff = self._owner(row, "OwnerUserId", authors)
                body = rendering.sanitize_html(row.get("Body") or "")
                title = " ".join(row["Title"].split())[:200]
                closed = row.get("ClosedDate")
                threads.append(Thread(
                    space=self.space, kind=Thread.Kind.QUESTION, title=title,
                    slug=slugify(title)[:80] or "thread", author_id=author_id,
                    author_is_staff=is_staff, created_at=created, last_activity_at=created,
                    post_count=1, search_body=body.text[:20000],
                    closed_at=_maybe_date(closed), view_count=_int0(row.get("ViewCount")),
                    closed_reason="Closed on the original site." if closed else "",
                ))
                posts.append(Post(
                    kind=Post.Kind.OPENING, author_id=author_id,
                    author_role=Post.Role.STAFF if is_staff else Post.Role.MEMBER, position=1,
                    body=row.get("Body") or "", body_format="html", body_html=body.html,
                    render_version=rendering.RENDER_VERSION, created_at=created,
                ))
                tag_names.append([t for t in (row.get("Tags") or "").replace(">", " ").replace(
                    "<", " ").split() if t])
            Thread.objects.bulk_create(threads)
            for thread, post in zip(threads, posts, strict=True):
                post.thread = thread
            Post.objects.bulk_create(posts)
            for thread, post in zip(threads, posts, strict=True):
                thread.opening_post = post
            write_rows(Thread, threads, ["opening_post"])
            resolved = {t.name: t for t in tags_resolve(
                {n for names in tag_names for n in names})} if any(tag_names) else {}
            through = Thread.tags.through
            links = []
            for thread, names in zip(threads, tag_names, strict=True):
                for name in dict.fromkeys(slugify(n)[:40] for n in names):
                    if name in resolved:
                        links.append(through(thread_id=thread.pk, tag_id=resolved[name].pk))
            through.objects.bulk_create(links, ignore_conflicts=True)
            accepted = [_int_or_none(r.get("AcceptedAnswerId")) for _, r, _ in fresh]
            self._record("thread", [(s, t.pk, a) for (s, _, _), t, a in zip(
                fresh, threads, accepted, strict=True)])
            self._record("post", [(s, p.pk, None) for (s, _, _), p in zip(fresh, posts,
                                                                            strict=True)])
        self.summary.imported["questions"] += len(fresh)

    def answers(self) -> None:
        for batch in self._stream("Posts.xml", "posts", "Answers"):
            batch = [r for r in batch if r.get("PostTypeId") == "2"]
            self.summary.read["answers"] += len(batch)
            valid = []
            for row in batch:
                try:
                    valid.append((as_int(row.get("Id"), "Id"), row,
                                  parse_date(row.get("CreationDate")),
                                  as_int(row.get("ParentId"), "ParentId")))
                except Skip as reason:
                    self.summary.skip("answers", str(reason), row.get("Id"))
            done = self._mapped("post", [v[0] for v in valid])
            self.summary.already["answers"] += len(done)
            threads = self._mapped("thread", [v[3] for v in valid])
            fresh = []
            for v in valid:
                if v[0] in done:
                    continue
                if v[3] not in threads:
                    self.summary.skip("answers", "its question is not in the dump", v[0])
                    continue
                fresh.append(v)
            if fresh:
                self._posts_write("answers", [
                    (s, r, created, threads[parent], None, r.get("Body") or "", "OwnerUserId")
                    for s, r, created, parent in fresh])

    def _posts_write(self, kind: str, items) -> None:
        """Answers or replies: (source id, row, date, thread pk, parent pk, body, owner key)."""
        authors = self._authors(
            int(r[k]) for _, r, _, _, _, _, k in items if (r.get(k) or "").lstrip("-").isdigit())
        with transaction.atomic():
            next_position = dict(
                Post.objects.filter(thread_id__in={i[3] for i in items}).order_by()
                .values("thread_id").annotate(m=Max("position")).values_list("thread_id", "m"))
            posts = []
            for _source_id, row, created, thread_id, parent_id, body, owner_key in items:
                author_id, is_staff = self._owner(row, owner_key, authors)
                next_position[thread_id] = next_position.get(thread_id, 0) + 1
                if kind == "answers":
                    rendered, fmt = rendering.sanitize_html(body), "html"
                else:
                    rendered, fmt = render_body(body), "markdown"
                posts.append(Post(
                    thread_id=thread_id, parent_id=parent_id,
                    kind=Post.Kind.ANSWER if kind == "answers" else Post.Kind.REPLY,
                    author_id=author_id,
                    author_role=Post.Role.STAFF if is_staff else Post.Role.MEMBER,
                    position=next_position[thread_id], body=body, body_format=fmt,
                    body_html=rendered.html, render_version=rendering.RENDER_VERSION,
                    created_at=created,
                ))
            Post.objects.bulk_create(posts)
            self._record("post" if kind == "answers" else "comment",
                         [(i[0], p.pk, None) for i, p in zip(items, posts, strict=True)])
        self.summary.imported[kind] += len(items)

    def comments(self) -> None:
        for batch in self._stream("Comments.xml", "comments", "Comments"):
            self.summary.read["comments"] += len(batch)
            valid = []
            for row in batch:
                try:
                    if not (row.get("Text") or "").strip():
                        raise Skip("no Text")
                    valid.append((as_int(row.get("Id"), "Id"), row,
                                  parse_date(row.get("CreationDate")),
                                  as_int(row.get("PostId"), "PostId")))
                except Skip as reason:
                    self.summary.skip("comments", str(reason), row.get("Id"))
            done = self._mapped("comment", [v[0] for v in valid])
            self.summary.already["comments"] += len(done)
            parents = self._mapped("post", [v[3] for v in valid])
            thread_of = dict(Post.objects.filter(pk__in=parents.values())
                             .values_list("pk", "thread_id"))
            fresh = []
            for source_id, row, created, post_source in valid:
                if source_id in done:
                    continue
                if post_source not in parents:
                    self.summary.skip("comments", "its post is not in the dump", source_id)
                    continue
                parent = parents[post_source]
                fresh.append((source_id, row, created, thread_of[parent], parent,
                              row["Text"], "UserId"))
            if fresh:
                self._posts_write("comments", fresh)

    def accepted(self) -> None:
        pending = ImportedObject.objects.filter(source=self.source, kind="thread",
                                                extra__isnull=False)
        last = 0
        while True:
            chunk = list(pending.filter(source_id__gt=last).order_by("source_id")
                         .values_list("source_id", "object_id", "extra")[:self.batch])
            if not chunk:
                break
            last = chunk[-1][0]
            answers = self._mapped("post", [a for _, _, a in chunk])
            current = dict(Thread.objects.filter(pk__in=[t for _, t, _ in chunk])
                           .values_list("pk", "accepted_answer_id"))
            changes = []
            for source_id, thread_id, answer_source in chunk:
                self.summary.read["accepted"] += 1
                answer = answers.get(answer_source)
                if answer is None:
                    self.summary.skip("accepted", "the accepted answer is not in the dump",
                                      source_id)
                elif current.get(thread_id) == answer:
                    self.summary.already["accepted"] += 1
                else:
                    changes.append(Thread(pk=thread_id, accepted_answer_id=answer))
            with transaction.atomic():
                write_rows(Thread, changes, ["accepted_answer"])
            self.summary.imported["accepted"] += len(changes)

    def votes(self) -> None:
        for batch in self._stream("Votes.xml", "votes", "Votes"):
            self.summary.read["votes"] += len(batch)
            valid = []
            for row in batch:
                try:
                    source_id = as_int(row.get("Id"), "Id")
                    if row.get("VoteTypeId") != "2":
                        raise Skip("not an up-vote (down-votes, favourites, bounties and "
                                   "moderation votes are not imported)")
                    valid.append((source_id, parse_date(row.get("CreationDate")),
                                  as_int(row.get("PostId"), "PostId")))
                except Skip as reason:
                    self.summary.skip("votes", str(reason), row.get("Id"))
            done = self._mapped("vote", [v[0] for v in valid])
            self.summary.already["votes"] += len(done)
            posts = self._mapped("post", [v[2] for v in valid])
            kinds = dict(Post.objects.filter(pk__in=posts.values()).values_list("pk", "kind"))
            fresh = []
            for source_id, created, post_source in valid:
                if source_id in done:
                    continue
                if post_source not in posts:
                    self.summary.skip("votes", "its post is not in the dump (deleted)",
                                      source_id)
                    continue
                fresh.append((source_id, created, posts[post_source]))
            if not fresh:
                continue
            with transaction.atomic():
                votes = [Vote(post_id=post, voter=None, created_at=created,
                              kind=Vote.Kind.HELPFUL if kinds[post] == Post.Kind.ANSWER
                              else Vote.Kind.LIKE)
                         for _, created, post in fresh]
                Vote.objects.bulk_create(votes)
                self._record("vote", [(f[0], v.pk, None) for f, v in zip(fresh, votes,
                                                                           strict=True)])
            self.summary.imported["votes"] += len(fresh)

    def finish(self) -> None:
        """Positions by date, counters and search from the facts; then every score."""
        from community import engagement

        space = self.space.pk
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Posts of each thread numbered by date (answers and comments come from
                # different files); shifted first so the unique pair never clashes.
                cursor.execute("""
                    UPDATE community_post p SET position = p.position + 1000000000
                    FROM community_thread t WHERE p.thread_id = t.id AND t.space_id = %s""",
                               [space])
                cursor.execute("""
                    UPDATE community_post p SET position = r.n FROM (
                        SELECT p2.id, row_number() OVER (
                            PARTITION BY p2.thread_id
                            ORDER BY (p2.kind = 'opening') DESC, p2.created_at, p2.id) AS n
                        FROM community_post p2 JOIN community_thread t ON t.id = p2.thread_id
                        WHERE t.space_id = %s) r
                    WHERE p.id = r.id""", [space])
                cursor.execute("""
                    UPDATE community_thread t SET
                        post_count = c.posts, answer_count = c.answers,
                        last_activity_at = GREATEST(t.created_at, c.last),
                        like_count = c.likes
                    FROM (SELECT p.thread_id,
                                 count(*) FILTER (WHERE NOT p.is_deleted) AS posts,
                                 count(*) FILTER (WHERE NOT p.is_deleted AND p.kind = 'answer')
                                     AS answers,
                                 max(p.created_at) AS last,
                                 coalesce(sum(p.like_count), 0) AS likes
                          FROM community_post p JOIN community_thread t2
                               ON t2.id = p.thread_id
                          WHERE t2.space_id = %s GROUP BY p.thread_id) c
                    WHERE t.id = c.thread_id""", [space])
                cursor.execute("""
                    UPDATE community_post p SET
                        like_count = v.likes, helpful_count = v.helpful
                    FROM (SELECT v.post_id,
                                 count(*) FILTER (WHERE v.kind = 'like') AS likes,
                                 count(*) FILTER (WHERE v.kind = 'helpful') AS helpful
                          FROM community_vote v JOIN community_post p2 ON p2.id = v.post_id
                          JOIN community_thread t ON t.id = p2.thread_id
                          WHERE t.space_id = %s GROUP BY v.post_id) v
                    WHERE p.id = v.post_id""", [space])
                cursor.execute("""
                    UPDATE community_thread t SET like_count = c.likes FROM (
                        SELECT p.thread_id, sum(p.like_count) AS likes FROM community_post p
                        JOIN community_thread t2 ON t2.id = p.thread_id
                        WHERE t2.space_id = %s GROUP BY p.thread_id) c
                    WHERE t.id = c.thread_id""", [space])
                cursor.execute("""
                    UPDATE community_thread SET search_vector =
                        setweight(to_tsvector('english', title), 'A')
                        || setweight(to_tsvector('english', search_body), 'B')
                    WHERE space_id = %s""", [space])
            else:
                self._finish_portable()
            Space.objects.filter(pk=space).update(
                thread_count=Thread.objects.filter(space_id=space, is_deleted=False,
                                                   merged_into__isnull=True).count())
        engagement.rescore_all()

    def _finish_portable(self) -> None:
        """The same as the SQL above, row by row (SQLite: small imports only)."""
        from django.db.models import Count, Q, Sum

        for thread in Thread.objects.filter(space=self.space):
            posts = list(thread.posts.order_by("created_at", "pk"))
            opening = [p for p in posts if p.kind == Post.Kind.OPENING]
            ordered = opening + [p for p in posts if p.kind != Post.Kind.OPENING]
            for n, post in enumerate(ordered, start=1):
                Post.objects.filter(pk=post.pk).update(position=1_000_000_000 + n)
            for n, post in enumerate(ordered, start=1):
                Post.objects.filter(pk=post.pk).update(position=n)
            for post in ordered:
                counts = post.votes.aggregate(
                    likes=Count("pk", filter=Q(kind="like")),
                    helpful=Count("pk", filter=Q(kind="helpful")))
                Post.objects.filter(pk=post.pk).update(like_count=counts["likes"],
                                                       helpful_count=counts["helpful"])
            agg = thread.posts.filter(is_deleted=False).aggregate(
                n=Count("pk"), answers=Count("pk", filter=Q(kind="answer")),
                last=Max("created_at"), likes=Sum("like_count"))
            Thread.objects.filter(pk=thread.pk).update(
                post_count=agg["n"], answer_count=agg["answers"],
                last_activity_at=max(thread.created_at, agg["last"] or thread.created_at),
                like_count=agg["likes"] or 0)


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
