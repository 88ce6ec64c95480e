"""Who owns what: a member's "I own this", the shop's purchases, and orders that wait.

A member *declares* an ownership ("I own this") and *removes* it whenever they like. A
purchase (an imported order, the shop's signed call) *verifies* it: a declared ownership is
upgraded, a verified one keeps its earliest purchase date, and the same purchase twice
changes nothing (no write, no event). A purchase for an address no account has confirmed is
kept as a :class:`~community.models.PendingOwnership` under :func:`email_digest` (never the
address); when a member's address is confirmed (allauth's ``email_confirmed``, a sign-up
whose address arrives verified, a claimed imported account) the orders waiting for it
become their verified ownerships.

Every write records its event in the same transaction (``OWNERSHIP_KINDS``); the event
names the threads about the product where the member answered, whose owner badge changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from community import permissions
from community.engine import events
from community.models import Ownership, PendingOwnership, Post, Product, User
from community.models.commerce import email_digest

Source = Ownership.Source
THREADS_NAMED = 200  # at most this many threads are named by one event (their badges)


def _answered_about(member_id: int, product: Product) -> list[int]:
    """The threads about ``product`` (its own, or carrying its tag) where the member
    answered: their answers carry the owner badge (one query)."""
    about = Q(thread__product_id=product.pk)
    if product.tag_id:
        about |= Q(thread__tags=product.tag_id)
    return sorted(set(
        Post.objects.filter(about, author_id=member_id, kind=Post.Kind.ANSWER,
                            is_deleted=False)
        .values_list("thread_id", flat=True).distinct()[:THREADS_NAMED]))


def ownership_declare(*, member: User, product: Product) -> Ownership:
    """The member says they own ``product``; owning it already (declared or verified)
    changes nothing."""
    permissions.require(permissions.is_member(member), gettext("Sign in to say you own a product."))
    with transaction.atomic():
        ownership, created = Ownership.objects.get_or_create(
            member=member, product=product, defaults={"source": Source.DECLARED})
        if created:
            events.OwnershipDeclared.record(actor=member, product=product.pk,
                                            threads=_answered_about(member.pk, product))
    return ownership


def ownership_remove(*, member: User, product: Product) -> bool:
    """The member no longer owns ``product`` (declared or verified); True when they did.

    A verified ownership removed is gone: a later purchase verifies it again."""
    permissions.require(permissions.is_member(member), gettext("Sign in to change what you own."))
    with transaction.atomic():
        found = (Ownership.objects.select_for_update()
                 .filter(member=member, product=product).first())
        if found is None:
            return False
        found.delete()
        events.OwnershipRemoved.record(actor=member, product=product.pk,
                                       was_verified=found.is_verified,
                                       threads=_answered_about(member.pk, product))
    return True


def _earlier(a: date | None, b: date | None) -> date | None:
    return min(d for d in (a, b) if d) if (a or b) else None


def ownership_verify(*, member: User, product: Product, source: str,
                     purchased_on: date | None = None, order_ref: str = "",
                     actor: User | None = None) -> bool:
    """A purchase of ``product`` by ``member``: their ownership is verified (a declared one
    upgraded), keeping the earliest purchase date; True when anything changed."""
    if source not in (Source.ORDER, Source.WEBHOOK):
        raise ValueError(f"{source!r} is not a purchase")
    order_ref = (order_ref or "")[:100]
    with transaction.atomic():
        found = (Ownership.objects.select_for_update()
                 .filter(member=member, product=product).first())
        upgraded = found is not None and not found.is_verified
        if found is None:
            found = Ownership(member=member, product=product)
        elif found.is_verified:
            earliest = _earlier(found.purchased_on, purchased_on)
            if earliest == found.purchased_on:
                return False  # the same purchase again, or a later one: nothing to change
            found.purchased_on, found.order_ref = earliest, order_ref or found.order_ref
            found.save(update_fields=["purchased_on", "order_ref"])
            events.OwnershipVerified.record(actor=actor, subject_user=member,
                                            product=product.pk, source=source,
                                            threads=_answered_about(member.pk, product))
            return True
        found.source, found.verified_at = source, timezone.now()
        found.purchased_on = _earlier(found.purchased_on, purchased_on)
        found.order_ref = order_ref
        found.save()
        events.OwnershipVerified.record(actor=actor, subject_user=member, product=product.pk,
                                        source=source, upgraded=upgraded,
                                        threads=_answered_about(member.pk, product))
    return True


def account_of(email: str) -> User | None:
    """The active account whose confirmed address is ``email`` (any case), if any."""
    from allauth.account.models import EmailAddress

    found = (EmailAddress.objects.filter(email__iexact=email.strip(), verified=True)
             .select_related("user").first())
    if found is None or not found.user.is_active or found.user.is_former_member:
        return None
    return found.user


@dataclass(frozen=True)
class Recorded:
    outcome: str  # VERIFIED, PENDING or UNCHANGED
    member_id: int | None = None


VERIFIED, PENDING, UNCHANGED = "verified", "pending", "unchanged"


def purchase_record(*, email: str, product: Product, source: str,
                    purchased_on: date | None = None, order_ref: str = "") -> Recorded:
    """A purchase by whoever has ``email``: the account with that confirmed address is
    verified as an owner; with none, the purchase waits under the address's digest (the
    earliest date kept). The same purchase twice changes nothing."""
    member = account_of(email)
    if member is not None:
        changed = ownership_verify(member=member, product=product, source=source,
                                   purchased_on=purchased_on, order_ref=order_ref)
        return Recorded(VERIFIED if changed else UNCHANGED, member.pk)
    digest = email_digest(email)
    with transaction.atomic():
        pending, created = PendingOwnership.objects.select_for_update().get_or_create(
            email_digest=digest, product=product,
            defaults={"source": source, "purchased_on": purchased_on,
                      "order_ref": (order_ref or "")[:100]})
        if not created:
            earliest = _earlier(pending.purchased_on, purchased_on)
            if earliest == pending.purchased_on:
                return Recorded(UNCHANGED)
            pending.purchased_on, pending.order_ref = earliest, (order_ref or "")[:100]
            pending.save(update_fields=["purchased_on", "order_ref"])
        events.OwnershipPending.record(product=product.pk, source=source)
    return Recorded(PENDING)


def pending_claim(*, member: User, email: str) -> int:
    """``email`` is confirmed as ``member``'s: the purchases waiting for it become their
    verified ownerships (how many)."""
    if not email or not member.is_active or member.is_former_member:
        return 0
    with transaction.atomic():
        waiting = list(PendingOwnership.objects.select_for_update()
                       .filter(email_digest=email_digest(email)).select_related("product"))
        for pending in waiting:
            ownership_verify(member=member, product=pending.product, source=pending.source,
                             purchased_on=pending.purchased_on, order_ref=pending.order_ref,
                             actor=member)
        PendingOwnership.objects.filter(pk__in=[p.pk for p in waiting]).delete()
    return len(waiting)


def pending_claim_verified(*, member: User) -> int:
    """Every confirmed address of ``member`` claims what waits for it (a sign-up whose
    address arrives verified, as through a provider's sign-in)."""
    from allauth.account.models import EmailAddress

    addresses = EmailAddress.objects.filter(user=member, verified=True).values_list(
        "email", flat=True)
    return sum(pending_claim(member=member, email=address) for address in addresses)


def owned_by(member: User) -> list[Ownership]:
    """The member's ownerships, verified first, with their products (one query)."""
    return sorted(Ownership.objects.filter(member=member).select_related("product"),
                  key=lambda o: (not o.is_verified, o.product.name.lower(), o.pk))


def ownership_of(member, product: Product) -> Ownership | None:
    if not permissions.is_member(member):
        return None
    return Ownership.objects.filter(member=member, product=product).first()


def mentioned_products(member: User) -> list[tuple[str, Product | None]]:
    """The products ``member`` once listed in the free-text "products I own" (which routing
    no longer reads), each with the catalogue product of that name, if any (one query)."""
    from django.db.models.functions import Lower

    names = member.product_list
    if not names:
        return []
    found = {p.lowered: p for p in Product.objects.annotate(lowered=Lower("name")).filter(
        lowered__in=[name.lower() for name in names]).order_by("pk")}
    return [(name, found.get(name.lower())) for name in names]
