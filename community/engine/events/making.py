"""Community's kinds about what members make: collections and the brand's moments."""
from __future__ import annotations

import dataclasses

from .declaring import Kind, Payload, declare

# Curation: members' collections of threads and posts. ``subject_user`` is the owner when
# someone else acts on a collection (a host featuring it), the collected post's author when
# a post or thread is added.


@declare(Kind.COLLECTION_CREATED, ids=("actor",), strategy="curation")
class CollectionCreated(Payload):
    collection: int
    public: bool


@declare(Kind.COLLECTION_EDITED, ids=("actor",))
class CollectionEdited(Payload):
    collection: int
    action: str  # edited, deleted, restored
    public: bool


@declare(Kind.COLLECTION_ITEM_ADDED, ids=("actor", "subject_user", "thread", "post"),
         strategy="curation")
class CollectionItemAdded(Payload):
    """``followers`` hear of the addition; the author of what was added too when
    ``author_told`` (someone else's post in a public collection, once a day at most)."""

    collection: int
    item: int
    title: str  # the collection's, for the notices
    public: bool
    followers: list[int] = dataclasses.field(default_factory=list)
    author_told: bool = False


@declare(Kind.COLLECTION_ITEM_REMOVED, ids=("actor", "thread", "post"))
class CollectionItemRemoved(Payload):
    collection: int


@declare(Kind.COLLECTION_REORDERED, ids=("actor",))
class CollectionReordered(Payload):
    collection: int
    item: int
    direction: str  # up, down


@declare(Kind.COLLECTION_FEATURED, ids=("actor", "subject_user"))
class CollectionFeatured(Payload):
    collection: int
    featured: bool


COLLECTION_KINDS = (
    CollectionCreated, CollectionEdited, CollectionItemAdded, CollectionItemRemoved,
    CollectionReordered, CollectionFeatured,
)


@declare(Kind.MOMENT_CREATED, ids=("actor", "thread"))
class MomentCreated(Payload):
    moment: int


@declare(Kind.MOMENT_EDITED, ids=("actor", "thread"))
class MomentEdited(Payload):
    moment: int
    action: str  # edited, closed


@declare(Kind.MOMENT_ENTRY_FEATURED, ids=("actor", "subject_user", "thread", "post"))
class MomentEntryFeatured(Payload):
    moment: int
    entry: int
    featured: bool


MOMENT_KINDS = (MomentCreated, MomentEdited, MomentEntryFeatured)
