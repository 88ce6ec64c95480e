"""Event kinds: each declared once, by the app that owns the fact, with typed payload fields.

What the services store must read back as the declared type, with the payload keys the rows
written before the declarations have (existing rows keep meaning the same).
"""
import dataclasses
import typing

import pytest
from django.apps import apps
from django.db import transaction

import partners.events
import purpose.events
from community.engine import events
from community.engine.events import Addressed, Payload, declare
from community.models import EngagementEvent, Notification, Post, Thread
from community.services import conversations, moderation

from .. import factories

pytestmark = pytest.mark.django_db

Kind = EngagementEvent.Kind

# The keys each kind's payload has always had (mentions, notify, message, url included).
STORED_KEYS = {
    Kind.MEMBER_JOINED: set(),
    Kind.INVITE_SENT: {"invitation", "mailed"},
    Kind.INVITE_JOINED: {"invitation"},
    Kind.PROFILE_UPDATED: set(),
    Kind.ACCOUNT_DELETED: {"deleted_account", "removed_posts", "threads", "members"},
    Kind.THREAD_CREATED: {"kind", "space", "mentions", "held"},
    Kind.POST_CREATED: {"kind", "mentions", "held"},
    Kind.POST_EDITED: {"mentions", "held", "staff"},
    Kind.POST_DELETED: {"kind"},
    Kind.POST_APPROVED: {"kind", "thread_kind", "mentions"},
    Kind.POST_HIDDEN: {"kind", "thread_kind", "mentions"},
    Kind.THREAD_MODERATED: {"action", "value", "tags", "threads", "members"},
    Kind.ANSWER_ACCEPTED: set(),
    Kind.ANSWER_UNACCEPTED: set(),
    Kind.VOTE_CAST: {"vote"},
    Kind.VOTE_WITHDRAWN: {"vote"},
    Kind.FOLLOWED: {"follow", "space", "project"},
    Kind.MEMBER_CLAIMED: set(),
    Kind.MEMBER_SUSPENDED: {"ends_at"},
    Kind.MEMBER_UNSUSPENDED: set(),
    Kind.PURPOSE_REVISED: {"revision"},
    Kind.PROJECT_EDITED: {"project", "what"},
    Kind.CONTRIBUTION_EDITED: {"project", "contribution"},
    Kind.ORGANISATION_EDITED: {"organisation", "what"},
    Kind.PROJECT_PROPOSED: {"project", "status", "organisation"},
    Kind.PROJECT_STATUS: {"project", "notify", "message", "url", "to_status", "from_status"},
    Kind.PROJECT_JOINED: {"project"},
    Kind.PROJECT_LEFT: {"project"},
    Kind.PLEDGED: {"project", "need"},
    Kind.PLEDGE_WITHDRAWN: {"project", "need"},
    Kind.PROJECT_UPDATE: {"project", "notify", "message", "url", "update"},
    Kind.CONTRIBUTED: {"project", "contribution", "contribution_kind"},
    Kind.CONTRIBUTION_VOTED: {"project", "contribution"},
    Kind.CONTRIBUTION_UNVOTED: {"project", "contribution"},
    Kind.CONTRIBUTION_WON: {"project", "contribution", "notify", "message", "url"},
    Kind.PARTNER_APPLIED: {"organisation"},
    Kind.PARTNER_DECIDED: {"organisation", "verified", "notify", "message", "url"},
    Kind.PARTNER_JOINED: {"organisation", "notify", "message", "url"},
    Kind.PARTNER_LEFT: {"organisation"},
    Kind.PARTNER_PUBLISHED: {"organisation", "kind", "project", "held"},
    Kind.COAUTHOR_INVITED: {"organisation", "notify", "message", "url"},
    Kind.COAUTHOR_ACCEPTED: {"organisation"},
}


def _sample(annotation, ids):
    """A value of a declared field type (ids of real rows where it names members)."""
    if typing.get_origin(annotation) in (typing.Union, __import__("types").UnionType):
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    if typing.get_origin(annotation) is list:
        return list(ids) if typing.get_args(annotation)[0] is int else ["ada", "bo"]
    return {bool: True, int: 7, str: "question", float: 1.5}[annotation]


@pytest.fixture
def scene():
    actor, other = factories.UserFactory(username="ada"), factories.UserFactory(username="bo")
    thread = conversations.thread_create(author=other, space=factories.SpaceFactory(),
                                         kind="question", title="Which kettle?", body="Help.")
    return {"actor": actor, "subject_user": other, "thread": thread,
            "post": thread.opening_post, "threads": [thread.pk], "members": [other.pk]}


def test_every_kind_is_declared_once_by_an_installed_app():
    declared = events.declared()
    assert set(declared) == set(Kind.values)
    owners = {cls.OWNER for cls in declared.values()}
    assert owners == {"community", "purpose", "partners"}
    assert all(apps.is_installed(owner) for owner in owners)


def test_purpose_and_partners_register_their_own_kinds():
    assert events.kind_of(Kind.PROJECT_JOINED) is purpose.events.ProjectJoined
    assert events.kind_of(Kind.CONTRIBUTION_WON).OWNER == "purpose"
    assert events.kind_of(Kind.COAUTHOR_INVITED) is partners.events.CoauthorInvited
    assert {cls.KIND for cls in purpose.events.KINDS} == {
        k for k, cls in events.declared().items() if cls.OWNER == "purpose"}
    assert {cls.KIND for cls in partners.events.KINDS} == {
        k for k, cls in events.declared().items() if cls.OWNER == "partners"}
    # The notices they make are named by the kinds, not by a list in community.
    assert purpose.events.ProjectStatus.NOTICE == Notification.Kind.PROJECT
    assert partners.events.PartnerJoined.NOTICE == Notification.Kind.PARTNER


@pytest.mark.parametrize("kind", sorted(Kind.values))
def test_every_kind_is_constructible_and_round_trips_through_the_database(kind, scene):
    cls = events.kind_of(kind)
    hints = typing.get_type_hints(cls)
    fields = {f.name: _sample(hints[f.name], [scene["actor"].pk])
              for f in dataclasses.fields(cls)}
    ids = {name: scene[name] for name in cls.IDS}
    event = cls.record(**ids, **fields)

    stored = EngagementEvent.objects.get(pk=event.pk)
    assert stored.kind == kind
    assert set(stored.payload) == STORED_KEYS[kind]
    assert events.data_of(stored) == cls(**fields)
    assert stored.actor_id == (scene["actor"].pk if "actor" in cls.IDS else None)
    assert stored.subject_user_id == (scene["subject_user"].pk if "subject_user" in cls.IDS
                                      else None)
    assert stored.thread_id == (scene["thread"].pk if "thread" in cls.IDS else None)
    assert stored.post_id == (scene["post"].pk if "post" in cls.IDS else None)
    threads, members = events.touched(stored)
    if "threads" in cls.IDS:
        assert scene["thread"].pk in threads
    if "members" in cls.IDS:
        assert scene["subject_user"].pk in members


def test_a_field_or_id_the_kind_does_not_declare_is_refused_before_anything_is_written(
        scene):
    before = EngagementEvent.objects.count()
    with pytest.raises(TypeError, match="colour"):
        events.VoteCast.record(actor=scene["actor"], post=scene["post"], vote="like",
                                   colour="red")
    with pytest.raises(TypeError, match="does not touch threads"):
        events.VoteCast.record(actor=scene["actor"], threads=[1], vote="like")
    with pytest.raises(TypeError, match="vote"):  # a declared field left out
        events.VoteCast.record(actor=scene["actor"], post=scene["post"])
    with pytest.raises(TypeError, match="mentions must be list"):
        events.PostCreated.record(actor=scene["actor"], kind="reply", mentions="ada")
    with pytest.raises(TypeError, match="project must be int"):
        purpose.events.ProjectJoined.record(actor=scene["actor"], project="7")
    assert EngagementEvent.objects.count() == before


def test_a_kind_must_be_registered_before_it_is_recorded(scene):
    @declare("unregistered_kind", ids=("actor",))
    class Unregistered(Payload):
        note: str

    with pytest.raises(LookupError, match="AppConfig.ready"):
        Unregistered.record(actor=scene["actor"], note="hello")
    with pytest.raises(ValueError, match="already declared"):
        events.register(declare(Kind.VOTE_CAST, ids=("actor",))(
            type("Again", (Payload,), {"__annotations__": {"vote": str}})))
    with pytest.raises(ValueError, match="names the notice"):
        declare("quiet", ids=("actor",))(type("Quiet", (Addressed,), {}))


def test_rows_written_before_the_declarations_read_as_their_kind():
    old = EngagementEvent.objects.create(kind=Kind.THREAD_MODERATED, payload={"action": "close"})
    assert events.data_of(old) == events.ThreadModerated(action="close")
    assert events.data_of(old).value is None
    bare = EngagementEvent.objects.create(kind=Kind.POST_CREATED, payload={"kind": "answer"})
    assert events.data_of(bare).mentions == [] and events.data_of(bare).held is False
    unknown = EngagementEvent.objects.create(kind="retired_kind", payload={"x": 1},
                                             thread_id=5)
    assert isinstance(events.data_of(unknown), events.Undeclared)
    assert events.touched(unknown) == ({5}, set())


def test_thread_tools_store_the_keys_they_always_did(scene):
    host = factories.HostFactory()
    target = conversations.thread_create(author=scene["actor"], space=scene["thread"].space,
                                         kind="question", title="Kettles again", body="Same.")
    with transaction.atomic():
        moderation.thread_flag_set(actor=host, thread=target, field="is_pinned", value=True)
        moderation.thread_close(actor=host, thread=target, reason="Answered elsewhere")
        moderation.thread_merge(actor=host, source=scene["thread"], target=target)
    rows = list(EngagementEvent.objects.filter(kind=Kind.THREAD_MODERATED).order_by("pk"))
    assert [r.payload for r in rows] == [
        {"action": "is_pinned", "value": True},
        {"action": "close"},
        {"action": "merge", "threads": [scene["thread"].pk, target.pk],
         "members": [scene["subject_user"].pk]},
    ]
    assert events.touched(rows[2]) == ({scene["thread"].pk, target.pk},
                                           {host.pk, scene["subject_user"].pk})


def test_a_new_post_reads_back_with_its_mentions(scene):
    reply = conversations.post_create(author=scene["actor"], thread=scene["thread"],
                                      body="Ask @bo about it.")
    assert reply.kind == Post.Kind.ANSWER
    event = EngagementEvent.objects.get(kind=Kind.POST_CREATED, post_id=reply.pk)
    assert event.payload == {"kind": "answer", "mentions": ["bo"], "held": False}
    assert events.data_of(event) == events.PostCreated(kind="answer", mentions=["bo"])
    opened = EngagementEvent.objects.get(kind=Kind.THREAD_CREATED,
                                         thread_id=scene["thread"].pk)
    data = events.data_of(opened)
    assert data.kind == Thread.Kind.QUESTION and data.opens_question
