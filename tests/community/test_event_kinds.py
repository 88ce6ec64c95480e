"""Event kinds: each declared once, by the app that owns the fact, with typed payload fields.

What the services store must read back as the declared type, with the payload keys the rows
written before the declarations have (existing rows keep meaning the same).
"""
import dataclasses
import typing

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models, transaction
from django.urls import reverse

import partners.events
import purpose.events
from community.engine import events, notifications
from community.engine.events import Addressed, Payload, declare
from community.models import EngagementEvent, Notification, Post, Thread
from community.services import conversations, moderation

from .. import factories

pytestmark = pytest.mark.django_db

Kind = EngagementEvent.Kind  # community's own
Purpose, Partners = purpose.events.Kind, partners.events.Kind
EVERY_KIND = sorted([*Kind.values, *Purpose.values, *Partners.values])

# The keys each kind's payload has always had (mentions, notify, message, url included).
STORED_KEYS = {
    Kind.MEMBER_JOINED: set(),
    Kind.INVITE_SENT: {"invitation", "mailed"},
    Kind.INVITE_JOINED: {"invitation"},
    Kind.PROFILE_UPDATED: set(),
    Kind.ACCOUNT_DELETED: {"deleted_account", "removed_posts", "threads", "members"},
    # photos: a post that shows photos (counted as content); moment: an entry only.
    Kind.THREAD_CREATED: {"kind", "space", "mentions", "held", "photos", "owners_asked"},
    Kind.POST_CREATED: {"kind", "mentions", "held", "moment", "photos", "owner"},
    Kind.POST_EDITED: {"mentions", "held", "staff", "photos"},
    Kind.POST_DELETED: {"kind"},
    Kind.POST_APPROVED: {"kind", "thread_kind", "mentions"},
    Kind.POST_HIDDEN: {"kind", "thread_kind", "mentions"},
    Kind.THREAD_MODERATED: {"action", "value", "tags", "threads", "members"},
    Kind.ANSWER_ACCEPTED: set(),
    Kind.ANSWER_UNACCEPTED: set(),
    Kind.VOTE_CAST: {"vote"},
    Kind.VOTE_WITHDRAWN: {"vote"},
    Kind.FOLLOWED: {"follow", "space", "tag", "project", "collection"},
    Kind.ANSWER_ORDER_CHOSEN: {"order"},
    Kind.NOTICE_SETTINGS_CHANGED: {"changed"},
    Kind.NOTICE_LEVEL_SET: {"level", "space"},
    Kind.NOTICES_PAUSED: {"until"},
    Kind.NOTICES_RESUMED: {"early"},
    Kind.WELCOME_DONE: {"outcome"},
    Kind.MEMBER_CLAIMED: set(),
    Kind.MEMBER_SUSPENDED: {"ends_at"},
    Kind.MEMBER_UNSUSPENDED: set(),
    Kind.COLLECTION_CREATED: {"collection", "public"},
    Kind.COLLECTION_EDITED: {"collection", "action", "public"},
    Kind.COLLECTION_ITEM_ADDED: {"collection", "item", "title", "public", "followers",
                                 "author_told"},
    Kind.COLLECTION_ITEM_REMOVED: {"collection"},
    Kind.COLLECTION_REORDERED: {"collection", "item", "direction"},
    Kind.COLLECTION_FEATURED: {"collection", "featured"},
    Kind.MOMENT_CREATED: {"moment"},
    Kind.MOMENT_EDITED: {"moment", "action"},
    Kind.MOMENT_ENTRY_FEATURED: {"moment", "entry", "featured"},
    Kind.PRODUCT_CREATED: {"product"},
    Kind.PRODUCT_EDITED: {"product", "action", "changed"},
    Kind.PRODUCTS_IMPORTED: {"products", "created", "updated"},
    Kind.TOUCH_DECIDED: {"touch"},
    Kind.OWNERSHIP_DECLARED: {"product", "threads"},
    Kind.OWNERSHIP_VERIFIED: {"product", "source", "upgraded", "threads"},
    Kind.OWNERSHIP_REMOVED: {"product", "was_verified", "threads"},
    Kind.OWNERSHIP_PENDING: {"product", "source"},
    Kind.INITIATIVE_SAVED: {"initiative", "action"},
    Kind.FLAG_RAISED: {"reason", "hidden"},
    Kind.WEBHOOK_SAVED: {"endpoint", "action", "delivery"},
    Kind.WEBHOOK_PINGED: {"endpoint"},
    Kind.TOKEN_CREATED: {"token", "scopes"},
    Kind.TOKEN_REVOKED: {"token"},
    Kind.APP_SAVED: {"application", "action"},
    Kind.APP_AUTHORISED: {"application", "scopes"},
    Kind.APP_REVOKED: {"application", "tokens"},
    Kind.MAIL_POSTED: {"via", "photos", "ignored"},
    Kind.MAIL_REFUSED: {"via", "reason", "bounced"},
    Kind.PUSH_SUBSCRIBED: {"subscription", "renewed"},
    Kind.PUSH_REMOVED: {"subscription", "reason"},
    Purpose.PURPOSE_REVISED: {"revision"},
    Purpose.PROJECT_EDITED: {"project", "what", "threads"},
    Purpose.PROJECT_MOMENT: {"project", "moment", "tied", "organisation"},
    Partners.ORGANISATION_MOMENT: {"organisation", "moment", "tied"},
    Purpose.CONTRIBUTION_EDITED: {"project", "contribution"},
    Partners.ORGANISATION_EDITED: {"organisation", "what"},
    Purpose.PROJECT_PROPOSED: {"project", "status", "organisation"},
    Purpose.PROJECT_STATUS: {"project", "notify", "message", "url", "to_status", "from_status"},
    Purpose.PROJECT_JOINED: {"project"},
    Purpose.PROJECT_LEFT: {"project"},
    Purpose.PLEDGED: {"project", "need"},
    Purpose.PLEDGE_WITHDRAWN: {"project", "need"},
    Purpose.PROJECT_UPDATE: {"project", "notify", "message", "url", "update"},
    Purpose.CONTRIBUTED: {"project", "contribution", "contribution_kind"},
    Purpose.CONTRIBUTION_VOTED: {"project", "contribution"},
    Purpose.CONTRIBUTION_UNVOTED: {"project", "contribution"},
    Purpose.CONTRIBUTION_WON: {"project", "contribution", "notify", "message", "url"},
    Partners.PARTNER_APPLIED: {"organisation"},
    Partners.PARTNER_DECIDED: {"organisation", "verified", "notify", "message", "url"},
    Partners.PARTNER_JOINED: {"organisation", "notify", "message", "url"},
    Partners.PARTNER_LEFT: {"organisation"},
    Partners.PARTNER_PUBLISHED: {"organisation", "kind", "project", "held"},
    Partners.COAUTHOR_INVITED: {"organisation", "notify", "message", "url"},
    Partners.COAUTHOR_ACCEPTED: {"organisation"},
    Partners.OFFER_CREATED: {"organisation", "product", "offer", "held"},
    Partners.OFFER_APPROVED: {"organisation", "product", "offer"},
    Partners.OFFER_CLICKED: {"organisation", "product", "offer"},
    Partners.OFFER_WITHDRAWN: {"organisation", "product", "offer", "withdrawn"},
    Partners.OFFER_EDITED: {"organisation", "product", "offer", "held"},
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
    assert set(declared) == set(EVERY_KIND) == set(events.registered_kinds())
    owners = {cls.OWNER for cls in declared.values()}
    assert owners == {"community", "purpose", "partners"}
    assert all(apps.is_installed(owner) for owner in owners)


def test_purpose_and_partners_register_their_own_kinds():
    assert events.kind_of(Purpose.PROJECT_JOINED) is purpose.events.ProjectJoined
    assert events.kind_of(Purpose.CONTRIBUTION_WON).OWNER == "purpose"
    assert events.kind_of(Partners.COAUTHOR_INVITED) is partners.events.CoauthorInvited
    assert {cls.KIND for cls in purpose.events.KINDS} == {
        k for k, cls in events.declared().items() if cls.OWNER == "purpose"}
    assert {cls.KIND for cls in partners.events.KINDS} == {
        k for k, cls in events.declared().items() if cls.OWNER == "partners"}
    # The notices they make are named by the kinds, not by a list in community.
    assert purpose.events.ProjectStatus.NOTICE == purpose.events.Notice.PROJECT
    assert partners.events.PartnerJoined.NOTICE == partners.events.Notice.PARTNER


@pytest.mark.parametrize("kind", EVERY_KIND)
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


# Who owns a kind's value and label --------------------------------------------------------

def test_community_lists_only_its_own_kinds_and_each_app_registers_its_own():
    assert not set(Kind.values) & {*Purpose.values, *Partners.values}
    assert "pledged" not in Kind.values and "coauthor_invited" not in Kind.values
    field = EngagementEvent._meta.get_field("kind")
    assert [value for value, _ in field.choices] == [*Kind.values, *Purpose.values,
                                                     *Partners.values]
    assert "project" not in Notification.Kind.values
    assert "partner" not in Notification.Kind.values
    notice_field = Notification._meta.get_field("kind")
    assert {"project", "partner"} <= {value for value, _ in notice_field.choices}
    # Values stored before the move read with the same labels.
    assert EngagementEvent(kind="pledged").get_kind_display() == "Pledged to a need"
    assert EngagementEvent(kind="coauthor_accepted").get_kind_display() == \
        "Co-authorship accepted"
    assert Notification(kind="project").get_kind_display() == "News from a project you follow"
    assert Notification(kind="partner").get_kind_display() == \
        "News from a partner you work with"


def test_a_value_another_app_registered_is_refused():
    class Clash(models.TextChoices):
        PLEDGED = "pledged", "Pledged twice"

    with pytest.raises(ValueError, match="pledged"):
        events.register_kinds(Clash)
    class Again(models.TextChoices):
        PROJECT = "project", "News again"

    with pytest.raises(ValueError, match="project"):
        notifications.register_notices(Again)
    assert [v for v, _ in Notification._meta.get_field("kind").choices].count("project") == 1
    assert events.registered_kinds().count("pledged") == 1
    with pytest.raises(TypeError):
        events.register_kinds(("pledged", "Pledged"))


def test_a_kind_added_by_an_app_changes_no_migration():
    """The fields' choices are callables reading the registry, so the migrations name the
    callable and stay the same whatever kinds the installed apps register."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_admin_lists_events_of_every_app_with_their_labels(client_as):
    EngagementEvent.objects.create(kind=Kind.VOTE_CAST, payload={"vote": "like"})
    EngagementEvent.objects.create(kind=Purpose.PLEDGED, payload={"project": 1, "need": 2})
    EngagementEvent.objects.create(kind=Partners.COAUTHOR_INVITED, payload={})
    client = client_as(factories.AdminFactory())
    listing = client.get(reverse("admin:community_engagementevent_changelist"))
    assert listing.status_code == 200
    page = listing.content.decode()
    for label in ("Vote cast", "Pledged to a need", "Invited to co-author partner content"):
        assert page.count(label) >= 2, label  # the row and the "By kind" filter
    filtered = client.get(reverse("admin:community_engagementevent_changelist"),
                          {"kind__exact": "pledged"})
    assert filtered.status_code == 200
    assert "1 engagement event" in filtered.content.decode()


def test_the_notices_of_other_apps_read_their_message_and_are_emailed():
    member = factories.UserFactory()
    project_notice = Notification.objects.create(
        recipient=member, kind=purpose.events.Notice.PROJECT, message="Harvest ale is open",
        url="/p/")
    partner_notice = Notification.objects.create(
        recipient=member, kind=partners.events.Notice.PARTNER, message="You joined Northfield")
    assert notifications.describe(project_notice) == "Harvest ale is open"
    assert notifications.describe(partner_notice) == "You joined Northfield"
    assert {"project", "partner"} <= notifications.emailed_kinds()
    assert notifications.emailed_kinds() >= notifications.EMAILED_KINDS
