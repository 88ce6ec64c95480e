"""Up-votes become likes and helpful votes, written beside the comments where it can."""
from __future__ import annotations

import multiprocessing
import threading

from django.db import connection, transaction

from community.importers.bulk import Rows
from community.importers.stackexchange.plan import Done, _no_commit_wait
from community.importers.stackexchange.reading import (
    DumpError,
    Skip,
    Summary,
    _max_id,
    as_int,
    parse_date,
)
from community.models import Vote


class VotesPass:
    """Votes.xml, for :class:`~.importer.StackExchangeImport`."""

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
                # A vote on a post the dump does not have is skipped on every run: the
                # watermark passed it, but nothing was ever written for it.
                if post_source not in self.posts:
                    self.summary.skip("votes", "its post is not in the dump (deleted)",
                                      source_id)
                elif source_id in done:
                    self.summary.already["votes"] += 1
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
