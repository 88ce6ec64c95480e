"""The engagement engine: what happened (``events``), applied off the request path.

``engagement`` applies pending events in batches: ``scoring`` and ``ranking`` keep the
stored counters and orders, ``routing`` sends open questions to members who can answer
them, ``notifications`` writes notices and emails. ``enqueue`` is how the write path asks
for a task by its registered name without importing ``community.tasks``.
"""
