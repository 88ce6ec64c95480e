"""Bring a Stack Exchange data dump into a space.

Streams each XML file with ``iterparse`` (memory stays flat whatever the file size), writes
in batches with ``bulk_create``, and records every source row it turned into an object in
:class:`~community.models.ImportedObject` in the same transaction as the objects: running it
twice imports nothing twice, and an interrupted run continues where it stopped.

Mapping (ARCHITECTURE.md's words): users become unclaimed members (no email in a dump; they
claim their account through a verified email later), questions become question threads with
their tags, answers become answers, comments become replies to their post, up-votes become
likes (on questions) and helpful votes (on answers) without a voter (dump votes are
anonymous), ``AcceptedAnswerId`` becomes the accepted answer. Negative user ids (-1, the
"Community" bot) are system accounts: imported as staff that nobody signs in to, so their
posts are never members'. Posts whose author is gone keep a "former member" placeholder of
their own (per missing user id, else per display name, else per post), so one deleted
author answering another is still a peer answer. Bodies are the dump's HTML, kept as the
source and sanitised with the renderer's allowlist (``body_format="html"``). Dates are kept.

An import writes no engagement events: history is not news, nobody is notified. Counters,
post positions (by date) and scores are rebuilt at the end.
"""
from community.importers.stackexchange.importer import StackExchangeImport
from community.importers.stackexchange.plan import Done, IdMap, Plan, PostMap
from community.importers.stackexchange.reading import (
    BATCH,
    DumpError,
    Skip,
    Summary,
    as_int,
    batched,
    parse_date,
    rows,
)

__all__ = [
    "BATCH", "Done", "DumpError", "IdMap", "Plan", "PostMap", "Skip", "StackExchangeImport",
    "Summary", "as_int", "batched", "parse_date", "rows",
]
