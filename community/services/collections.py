"""Curation: members' collections of threads and posts.

Each write checks who may make it (``permissions``), checks the content through
``content.limits`` (title, description, how many), changes the rows and records its event
in one transaction. Deleting keeps the row for its owner to restore (``collection_restore``);
adding someone else's post to a public collection tells its author, once a day at most.
"""
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from community import permissions
from community.content import limits
from community.engine import events
from community.models import (
    Collection,
    CollectionFollow,
    CollectionItem,
    EngagementEvent,
    Post,
    Thread,
    User,
)
from community.models.collections import NOTE_MAX, RESTORE_FOR
from community.services.conversations import follow_set

AUTHOR_NOTICE_EVERY = timedelta(days=1)  # an author hears of their posts collected this often
EDIT_REFUSAL = gettext_lazy("Only the member who made this collection can change it.")


def _lock(collection: Collection) -> Collection:
    """The collection's row, locked until commit: adds and moves are counted and
    numbered one at a time."""
    return Collection.objects.select_for_update().get(pk=collection.pk)


def collection_create(*, owner: User, title: str, description: str = "",
                      is_public: bool = True) -> Collection:
    permissions.require(permissions.can_collect(owner), lambda: permissions.why_not(owner))
    title, description = title.strip(), description.strip()
    with transaction.atomic():
        limits.lock_author(owner)  # two tabs cannot both pass the count
        limits.collection_check(owner, title=title, description=description, creating=True)
        collection = Collection.objects.create(owner=owner, title=title,
                                               description=description, is_public=is_public)
        events.CollectionCreated.record(actor=owner, collection=collection.pk,
                                        public=is_public)
    return collection


def collection_edit(*, actor: User, collection: Collection, title: str, description: str,
                    is_public: bool) -> Collection:
    permissions.require(permissions.can_edit_collection(actor, collection), EDIT_REFUSAL)
    title, description = title.strip(), description.strip()
    limits.collection_check(actor, title=title, description=description, creating=False)
    with transaction.atomic():
        collection.title, collection.description = title, description
        collection.is_public = is_public
        collection.updated_at = timezone.now()
        fields = ["title", "description", "is_public", "updated_at"]
        if not is_public and collection.featured_at:
            # A private collection is nobody else's to see: it leaves the featured list.
            collection.featured_at, collection.featured_by = None, None
            fields += ["featured_at", "featured_by"]
        collection.save(update_fields=fields)
        events.CollectionEdited.record(actor=actor, collection=collection.pk, action="edited",
                                       public=is_public)
    return collection


def collection_delete(*, actor: User, collection: Collection) -> None:
    """Take the collection away from every page; its owner can restore it for a while."""
    permissions.require(permissions.can_edit_collection(actor, collection), EDIT_REFUSAL)
    with transaction.atomic():
        collection.deleted_at = timezone.now()
        collection.save(update_fields=["deleted_at"])
        events.CollectionEdited.record(actor=actor, collection=collection.pk,
                                       action="deleted", public=collection.is_public)


def collection_restore(*, actor: User, collection: Collection) -> Collection:
    permissions.require(permissions.can_collect(actor) and actor.pk == collection.owner_id,
                        EDIT_REFUSAL)
    if collection.deleted_at is None:
        return collection
    if collection.deleted_at < timezone.now() - RESTORE_FOR:
        raise ValidationError(gettext("This collection was deleted too long ago to restore."),
                              code="too_old")
    with transaction.atomic():
        limits.lock_author(actor)
        limits.collection_check(actor, title=collection.title,
                                description=collection.description, creating=True)
        collection.deleted_at = None
        collection.save(update_fields=["deleted_at"])
        events.CollectionEdited.record(actor=actor, collection=collection.pk,
                                       action="restored", public=collection.is_public)
    return collection


def _target(actor: User, *, thread: Thread | None, post: Post | None
            ) -> tuple[Thread | None, Post | None, User | None]:
    """What is collected, checked: a published thread or post that ``actor`` can read.
    An opening post stands for its thread."""
    if (thread is None) == (post is None):
        raise ValidationError(gettext("Choose one thread or one post to add."), code="invalid")
    if post is not None:
        thread = post.thread
        if post.kind == Post.Kind.OPENING:
            post = None
        elif (post.is_deleted or post.status != Post.Status.PUBLISHED
              or not permissions.can_see_post(actor, post, thread)):
            raise ValidationError(gettext("This post cannot be collected."), code="invalid")
    if (thread.is_deleted or thread.is_hidden or thread.merged_into_id
            or not permissions.can_view_thread(actor, thread)):
        raise ValidationError(gettext("This thread cannot be collected."), code="invalid")
    return (thread if post is None else None), post, (post.author if post else thread.author)


def _author_told(*, actor: User, author: User | None, public: bool, now) -> bool:
    """Someone else's post in a public collection: its author hears of it, unless they
    heard of a post of theirs collected in the last day."""
    if not public or author is None or author.pk == actor.pk:
        return False
    return not EngagementEvent.objects.filter(
        kind=EngagementEvent.Kind.COLLECTION_ITEM_ADDED, subject_user=author,
        payload__author_told=True, created_at__gt=now - AUTHOR_NOTICE_EVERY).exists()


def collection_item_add(*, actor: User, collection: Collection, thread: Thread | None = None,
                        post: Post | None = None, note: str = "") -> CollectionItem:
    """Add a thread or a post at the end of ``collection``; refused (``ValidationError``)
    when it is there already or the collection is full."""
    permissions.require(permissions.can_edit_collection(actor, collection), EDIT_REFUSAL)
    thread, post, author = _target(actor, thread=thread, post=post)
    note = note.strip()[:NOTE_MAX]
    with transaction.atomic():
        locked = _lock(collection)
        if locked.deleted_at is not None:
            raise ValidationError(gettext("This collection was deleted."), code="invalid")
        target = {"thread": thread} if thread is not None else {"post": post}
        if locked.items.filter(**target).exists():
            raise ValidationError((gettext("This is already in “%(title)s”.")
                                   % {"title": locked.title}), code="duplicate")
        limits.collection_item_check(locked)
        if author is not None:
            # One addition at a time per author, so "once a day" holds under parallel adds.
            limits.lock_author(author)
        now = timezone.now()
        last = locked.items.aggregate(last=Max("position"))["last"]
        item = CollectionItem.objects.create(collection=locked, position=(last or 0) + 1,
                                             note=note, **target)
        Collection.objects.filter(pk=locked.pk).update(updated_at=now)
        followers = list(CollectionFollow.objects.filter(collection=locked)
                         .values_list("user_id", flat=True)) if locked.is_public else []
        told = _author_told(actor=actor, author=author, public=locked.is_public, now=now)
        events.CollectionItemAdded.record(
            actor=actor, subject_user=author, thread=thread.pk if thread else post.thread_id,
            post=post, collection=locked.pk, item=item.pk, title=locked.title,
            public=locked.is_public, followers=sorted(followers), author_told=told)
    return item


def collection_item_remove(*, actor: User, item: CollectionItem) -> None:
    collection = item.collection
    permissions.require(permissions.can_edit_collection(actor, collection), EDIT_REFUSAL)
    with transaction.atomic():
        _lock(collection)
        deleted = CollectionItem.objects.filter(pk=item.pk).delete()[0]
        if not deleted:
            return
        Collection.objects.filter(pk=collection.pk).update(updated_at=timezone.now())
        events.CollectionItemRemoved.record(
            actor=actor, thread=item.thread_id, post=item.post_id, collection=collection.pk)


def collection_item_move(*, actor: User, item: CollectionItem, direction: str) -> bool:
    """Swap ``item`` with its neighbour above (``up``) or below (``down``); False when it
    is already first or last."""
    if direction not in ("up", "down"):
        raise ValidationError(gettext("Move an item up or down."), code="invalid")
    collection = item.collection
    permissions.require(permissions.can_edit_collection(actor, collection), EDIT_REFUSAL)
    with transaction.atomic():
        _lock(collection)
        item = CollectionItem.objects.filter(pk=item.pk).first()
        if item is None:
            return False
        items = CollectionItem.objects.filter(collection_id=collection.pk).exclude(pk=item.pk)
        if direction == "up":
            neighbour = (items.filter(position__lte=item.position)
                         .order_by("-position", "-pk").first())
        else:
            neighbour = (items.filter(position__gte=item.position)
                         .order_by("position", "pk").first())
        if neighbour is None:
            return False
        if neighbour.position == item.position:  # never the case for items added here
            neighbour.position += 1 if direction == "down" else -1
        item.position, neighbour.position = neighbour.position, item.position
        CollectionItem.objects.bulk_update([item, neighbour], ["position"])
        events.CollectionReordered.record(actor=actor, collection=collection.pk,
                                          item=item.pk, direction=direction)
    return True


def collection_follow_set(*, user: User, collection: Collection, follow: bool) -> bool:
    """Follow (hear of what is added) or stop following someone else's collection."""
    if follow:
        permissions.require(permissions.can_follow_collection(user, collection),
                            gettext("You cannot follow this collection."))
    return follow_set(user=user, model=CollectionFollow, follow=follow, what="collections",
                      target={"collection": collection},
                      recorded={"collection": collection.pk})


def collection_feature_set(*, actor: User, collection: Collection, featured: bool) -> bool:
    """A host features a public collection (or stops); False when nothing changed."""
    permissions.require(permissions.can_feature_collection(actor, collection),
                        gettext("Only hosts feature collections, and only public ones."))
    if featured == collection.is_featured:
        return False
    with transaction.atomic():
        collection.featured_at = timezone.now() if featured else None
        collection.featured_by = actor if featured else None
        collection.save(update_fields=["featured_at", "featured_by"])
        events.CollectionFeatured.record(actor=actor, subject_user=collection.owner_id,
                                         collection=collection.pk, featured=featured)
    return True
