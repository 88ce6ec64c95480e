"""The live stream: what happened, pushed to the pages open on it (server-sent events).

The outbox is the one truth here as everywhere: the stream reads the same ``EngagementEvent``
rows the caches and the notices are made from, once the engine has applied them, and sends
each open page a small signal (which thread, which post, what kind of change). The page
then fetches what changed through the ordinary views (kept in the cache, checked for
permission), so nothing about a post leaves the server by the stream but its id.

- ``signals``: which events a page hears of, on which topics, and who may hear each one
  (``community.permissions`` predicates, no second rule set).
- ``outbox``: reading applied events in order, late commits included, from a floor.
- ``publish``: the engine's post-commit call that wakes every stream process.
- ``hub``: one per stream process: wakes, reads the outbox once, hands each signal to the
  connections allowed it.
- ``stream``: the ``/stream/`` consumer (Django Channels) that speaks server-sent events.

The SSE ``id`` is an ``EngagementEvent`` id, the stream's floor: every event at or below it
was offered. A page that lost its connection reconnects with ``Last-Event-ID`` and is sent,
from the database, filtered for its reader, every event above it.
"""
