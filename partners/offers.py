"""Partners' offers on products: created by the organisation's people (or a host), approved
by a host where the site holds partner content, shown on the product's page while live,
and followed through a redirect that counts the click.

Writes check permission, change the rows in one transaction and append their event
(``events.OfferCreated`` / ``OfferApproved`` / ``OfferClicked``); what they make stale is in
``PartnersConfig`` (the product's page). Whether an offer is live depends on the clock, so
the product page's cache is named by the set of offers live now (:func:`live_offers_name`).
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from community import permissions
from community.models import CommunitySettings

from . import events
from .models import Offer, Organisation

PANEL_TEMPLATE = "partners/_offers_panel.html"
LIVE_SHOWN = 5
HELD = gettext_lazy("The offer waits for a host's approval before it shows (site setting).")
NOT_YOURS = gettext_lazy("Only this organisation's people and the hosts put offers on products.")


def _live(product_id, now):
    return Offer.objects.filter(product_id=product_id, approved_at__isnull=False,
                                withdrawn_at__isnull=True, starts_at__lte=now, ends_at__gt=now)


def live_offers(product, *, now=None) -> list[Offer]:
    """The product's live offers, ending soonest first (one query)."""
    return list(_live(product.pk, now or timezone.now()).select_related("organisation")
                .order_by("ends_at", "pk")[:LIVE_SHOWN])


def live_offers_name(product_id: int, now) -> tuple[str, object]:
    """Which offers are live on the product at ``now``, as a label, and the next moment an
    offer starts or ends (one query): the product page's cache is named by it, so an offer
    starting or ending shows at once (``panels.cache_names``)."""
    rows = list(Offer.objects.filter(product_id=product_id, approved_at__isnull=False,
                                     withdrawn_at__isnull=True, ends_at__gt=now)
                .order_by("pk").values_list("pk", "starts_at", "ends_at")[:200])
    live = [str(pk) for pk, starts, _ in rows if starts <= now]
    moments = [t for _, starts, ends in rows for t in (starts, ends) if t > now]
    return ",".join(live) or "none", min(moments, default=None)


def offers_panel(product, user):
    """The product page's offers panel (``partners/_offers_panel.html``), or None."""
    offers = live_offers(product)
    return (PANEL_TEMPLATE, {"offers": offers, "product": product}) if offers else None


def pending_offers() -> list[Offer]:
    """Offers waiting for a host, oldest first."""
    return list(Offer.objects.filter(approved_at__isnull=True, ends_at__gt=timezone.now())
                .select_related("organisation", "product", "created_by")
                .order_by("created_at", "pk"))


def offer_create(*, actor, organisation: Organisation, product, title: str, terms: str,
                 url: str, starts_at, ends_at) -> Offer:
    """A new offer; approved at once unless the site holds partner content for a host
    (a host's own offer never waits)."""
    permissions.require(permissions.can_offer(actor, organisation), NOT_YOURS)
    if ends_at <= starts_at:
        raise ValidationError(gettext("The offer must end after it starts."))
    if ends_at <= timezone.now():
        raise ValidationError(gettext("That offer would already be over: choose a later end."))
    hold = (CommunitySettings.get().partner_posts_need_approval
            and not permissions.is_staff_host(actor))
    now = timezone.now()
    with transaction.atomic():
        offer = Offer(organisation=organisation, product=product, title=title, terms=terms,
                      url=url, starts_at=starts_at, ends_at=ends_at, created_by=actor,
                      approved_at=None if hold else now, approved_by=None if hold else actor)
        offer.full_clean()
        offer.save()
        events.OfferCreated.record(actor=actor, organisation=organisation.pk,
                                   product=product.pk, offer=offer.pk, held=hold)
    return offer


def offer_approve(*, actor, offer: Offer) -> Offer:
    permissions.require(permissions.can_approve_offers(actor),
                        gettext("Only the hosts approve offers."))
    with transaction.atomic():
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        if offer.approved_at is not None:
            return offer
        offer.approved_at, offer.approved_by = timezone.now(), actor
        offer.save(update_fields=["approved_at", "approved_by"])
        events.OfferApproved.record(actor=actor, organisation=offer.organisation_id,
                                    product=offer.product_id, offer=offer.pk)
    return offer


def offer_edit(*, actor, offer: Offer, title: str, terms: str, url: str, starts_at,
               ends_at) -> Offer:
    """Change an offer's words, link or dates (not its product). Where the site holds
    partner content for a host, a partner's change waits for a host's approval again."""
    permissions.require(permissions.can_offer(actor, offer.organisation), NOT_YOURS)
    if ends_at <= starts_at:
        raise ValidationError(gettext("The offer must end after it starts."))
    if ends_at <= timezone.now():
        raise ValidationError(gettext("That offer would already be over: choose a later end."))
    hold = (CommunitySettings.get().partner_posts_need_approval
            and not permissions.is_staff_host(actor))
    with transaction.atomic():
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        if offer.ends_at <= timezone.now():
            raise ValidationError(gettext("This offer has already ended: put up a new one."))
        offer.title, offer.terms, offer.url = title, terms, url
        offer.starts_at, offer.ends_at = starts_at, ends_at
        if hold:
            offer.approved_at, offer.approved_by = None, None
        offer.full_clean()
        offer.save()
        events.OfferEdited.record(actor=actor, organisation=offer.organisation_id,
                                  product=offer.product_id, offer=offer.pk, held=hold)
    return offer


def offer_withdraw(*, actor, offer: Offer, withdrawn: bool = True) -> Offer:
    """Take an offer off its product's page before its end (``withdrawn``), or put it back
    (the undo). Its partner's people and the hosts may; an offer that has ended stays as
    it is."""
    permissions.require(permissions.can_offer(actor, offer.organisation), NOT_YOURS)
    with transaction.atomic():
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        if offer.ends_at <= timezone.now():
            raise ValidationError(gettext("This offer has already ended."))
        if (offer.withdrawn_at is not None) == withdrawn:
            return offer  # already so: nothing to change
        offer.withdrawn_at = timezone.now() if withdrawn else None
        offer.save(update_fields=["withdrawn_at"])
        events.OfferWithdrawn.record(actor=actor, organisation=offer.organisation_id,
                                     product=offer.product_id, offer=offer.pk,
                                     withdrawn=withdrawn)
    return offer


def offer_click(*, visitor, offer: Offer) -> str:
    """Count a click on a live offer and give its own stored address (never one from the
    request)."""
    with transaction.atomic():
        Offer.objects.filter(pk=offer.pk).update(click_count=F("click_count") + 1)
        events.OfferClicked.record(actor=visitor if permissions.is_member(visitor) else None,
                                   organisation=offer.organisation_id,
                                   product=offer.product_id, offer=offer.pk)
    return offer.url
