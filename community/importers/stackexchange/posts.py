"""Questions, answers, comments and accepted answers; bodies rendered in a worker."""
from __future__ import annotations

from datetime import UTC, datetime

from django.db import transaction
from django.utils.text import slugify

from community.content import rendering
from community.content.tags import tag_name
from community.engine.scoring import write_rows
from community.importers.bulk import Rows
from community.importers.stackexchange.plan import Done
from community.importers.stackexchange.reading import (
    Skip,
    _int0,
    _int_or_none,
    _max_id,
    _maybe_date,
    as_int,
    parse_date,
)
from community.models import ImportedObject, Post, Thread
from community.services.conversations import existing_handles, render_body, tags_by_slug


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


class PostsPass:
    """Posts.xml and Comments.xml, for :class:`~.importer.StackExchangeImport`."""

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
            self._departed_make([(row, "OwnerUserId", "post", source_id, created)
                                 for source_id, row, created in fresh])
            thread_ids = thread_table.ids(len(fresh))
            post_ids = self.post_rows.ids(len(fresh))
            for (source_id, row, created), (html, text), thread_id, post_id in zip(
                    fresh, rendered, thread_ids, post_ids, strict=True):
                author_id, is_staff = self._owner(row, "OwnerUserId", "post", source_id)
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
            resolved = {s: t.pk for s, t in tags_by_slug(
                n for names in tag_names for n in names).items()}
            links = []
            for thread_id, names in zip(thread_ids, tag_names, strict=True):
                tags = {resolved[n] for n in map(tag_name, names) if n in resolved}
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
        source_kind = "post" if answers else "comment"
        with transaction.atomic():
            self._departed_make([(item[1], item[6], source_kind, item[0], item[2])
                                 for item in items])
            ids = self.post_rows.ids(len(items))
            for (source, row, created, thread_id, parent_id, body, owner_key), (html, _), pk \
                    in zip(items, rendered, ids, strict=True):
                author_id, is_staff = self._owner(row, owner_key, source_kind, source)
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
                if post_source not in self.posts:  # skipped again on every run
                    self.summary.skip("comments", "its post is not in the dump", source_id)
                elif source_id in done:
                    self.summary.already["comments"] += 1
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
            current = {pk: (answer, at) for pk, answer, at in Thread.objects.filter(
                pk__in=[t for _, t, _ in chunk]).values_list("pk", "accepted_answer_id",
                                                              "accepted_at")}
            changes = []
            for source_id, thread_id, answer_source in chunk:
                self.summary.read["accepted"] += 1
                answer = self.posts.get(answer_source)
                # The day of the accept vote, when the dump has it (answers' order reads it).
                at = self.plan.accepted_on.get(answer_source)
                if answer is None or not answer[2] or answer[1] != thread_id:
                    self.summary.skip("accepted", "the accepted answer is not in the dump",
                                      source_id)
                elif (now := current.get(thread_id, (None, None)))[0] == answer[0] and (
                        at is None or at == now[1]):
                    self.summary.already["accepted"] += 1
                else:
                    changes.append(Thread(pk=thread_id, accepted_answer_id=answer[0],
                                          accepted_at=at))
            with transaction.atomic():
                write_rows(Thread, changes, ["accepted_answer", "accepted_at"])
            self.summary.imported["accepted"] += len(changes)
