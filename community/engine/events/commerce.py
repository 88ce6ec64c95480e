"""Community's kinds about commerce and strategy: ownership, the catalogue and the
hosts' initiatives."""
from __future__ import annotations

import dataclasses

from .declaring import Kind, Payload, declare

# Commerce: who owns what (``community.commerce.ownership``). ``threads`` are the threads
# about the product where the member answered: their answers' owner badge changes.


@declare(Kind.OWNERSHIP_DECLARED, ids=("actor", "threads"), strategy="commerce")
class OwnershipDeclared(Payload):
    product: int


@declare(Kind.OWNERSHIP_VERIFIED, ids=("actor", "subject_user", "threads"))
class OwnershipVerified(Payload):
    """A purchase verified ``subject_user``'s ownership (``actor``: the member themselves
    when their confirmed address brought a pending order; none for an import or the shop's
    call). ``upgraded``: it was declared before."""

    product: int
    source: str  # Ownership.Source
    upgraded: bool = False


@declare(Kind.OWNERSHIP_REMOVED, ids=("actor", "threads"))
class OwnershipRemoved(Payload):
    product: int
    was_verified: bool


@declare(Kind.OWNERSHIP_PENDING, ids=())
class OwnershipPending(Payload):
    """A purchase for an address no account has confirmed: kept under its digest."""

    product: int
    source: str


OWNERSHIP_KINDS = (OwnershipDeclared, OwnershipVerified, OwnershipRemoved, OwnershipPending)


# The catalogue: products a host adds or edits, and batches of the shop's feed. A product's
# page and the product list show them (``community.commerce.catalogue``).


@declare(Kind.PRODUCT_CREATED, ids=("actor",))
class ProductCreated(Payload):
    product: int


@declare(Kind.PRODUCT_EDITED, ids=("actor",))
class ProductEdited(Payload):
    product: int
    action: str  # edited, image_added, image_removed, images_ordered, deleted
    changed: list[str] = dataclasses.field(default_factory=list)  # the fields edited


@declare(Kind.PRODUCTS_IMPORTED, ids=("actor",))
class ProductsImported(Payload):
    """One batch of ``manage.py import_products``: the products it created or changed."""

    products: list[int]
    created: int
    updated: int


CATALOGUE_KINDS = (ProductCreated, ProductEdited, ProductsImported)
# Strategy: the hosts' record of the brand's marketing initiatives.


@declare(Kind.INITIATIVE_SAVED, ids=("actor",))
class InitiativeSaved(Payload):
    initiative: int
    action: str  # created, edited, deleted, restored
