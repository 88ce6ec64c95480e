"""Outgoing webhooks fed from the ``EngagementEvent`` outbox (docs/webhooks.md).

``outbox`` makes a delivery per subscribed endpoint when the engine applies an event;
``delivery`` sends them (signed by ``signing``, to an address ``guard`` checked) and retries;
``services`` holds the admins' writes, ``views`` their pages under ``/host/webhooks/``.
"""
