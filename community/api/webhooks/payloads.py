"""What a receiver is sent: the event's kind and its ids and public fields, nothing more.

A kind may be subscribed to only if everybody who can see the site may know of it
(:data:`PUBLIC_KINDS`, named by value: community never imports purpose or partners, and a
value no installed app declares is left out). The body is ``{id, type, timestamp, data}``:
``id`` is the message id (``evt_`` and the event's id, the ``webhook-id`` header too),
``type`` the event kind, ``timestamp`` when it happened, ``data`` the ids the event touches
(``actor``, ``subject_user``, ``thread``, ``post``) and its payload fields of plain types,
without the notice text, mentions, titles and lists of people a kind may carry. An event
not everybody may see yet (a post held for review, a private collection) is not sent; its
approval is.
"""
from __future__ import annotations

import dataclasses
import json
import typing

from community.engine import events
from community.models import EngagementEvent

Kind = EngagementEvent.Kind

PUBLIC_KINDS = (
    # community
    Kind.MEMBER_JOINED, Kind.THREAD_CREATED, Kind.POST_CREATED, Kind.POST_EDITED,
    Kind.POST_DELETED, Kind.POST_APPROVED, Kind.ANSWER_ACCEPTED, Kind.ANSWER_UNACCEPTED,
    Kind.THREAD_MODERATED, Kind.FLAG_RAISED, Kind.MOMENT_CREATED, Kind.MOMENT_EDITED,
    Kind.COLLECTION_CREATED,
    Kind.PRODUCT_CREATED, Kind.PRODUCT_EDITED,
    # purpose (projects) and partners, by value
    "project_proposed", "project_status", "project_joined", "project_update", "contributed",
    "contribution_won", "partner_decided", "partner_joined", "partner_published",
    "offer_approved",
)
# Fields never sent: who is told and what they are told, who is mentioned or follows.
PRIVATE_FIELDS = frozenset({"notify", "message", "url", "mentions", "followers", "title",
                            "author_told"})
PING = Kind.WEBHOOK_PINGED


def subscribable() -> list[tuple[str, str]]:
    """(value, label) of the kinds an endpoint may be sent, in :data:`PUBLIC_KINDS` order."""
    from community.models.events import event_kind_choices

    labels = dict(event_kind_choices())
    declared = events.declared()
    return [(str(k), labels.get(str(k), str(k))) for k in PUBLIC_KINDS if str(k) in declared]


def _plain(annotation) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, __import__("types").UnionType):
        return all(_plain(a) for a in typing.get_args(annotation))
    return annotation in (int, str, bool, float, type(None))


def sendable(event: EngagementEvent) -> bool:
    """Whether everybody may know of ``event`` now."""
    payload = event.payload or {}
    if event.kind not in events.declared():
        return False
    if payload.get("held") is True or payload.get("public") is False:
        return False
    return event.kind in {str(k) for k in PUBLIC_KINDS} or event.kind == PING


def data(event: EngagementEvent) -> dict:
    cls = events.kind_of(event.kind)
    out = {}
    for name, value in (("actor", event.actor_id), ("subject_user", event.subject_user_id),
                        ("thread", event.thread_id), ("post", event.post_id)):
        if name in cls.IDS:
            out[name] = value
    typed = events.data_of(event)
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(typed):
        value = getattr(typed, f.name)
        if f.name in PRIVATE_FIELDS or not _plain(hints[f.name]):
            continue
        if value is None and f.metadata.get("omit_none"):
            continue  # as the stored payload: an optional mark the event does not have
        out[f.name] = value
    return out


def message_id(event: EngagementEvent) -> str:
    return f"evt_{event.pk}"


def body(event: EngagementEvent) -> bytes:
    document = {"id": message_id(event), "type": event.kind,
                "timestamp": event.created_at.isoformat(), "data": data(event)}
    return json.dumps(document, separators=(",", ":"), sort_keys=True).encode()
