"""The shop's purchase call: signed, fresh, once per delivery.

The shop POSTs JSON to ``/shop/webhook/purchase/``::

    {"delivery_id": "dlv_81", "email": "ada@example.com", "order_ref": "SO-1001",
     "purchased_on": "2026-11-30", "items": [{"sku": "KET-30"}, {"sku": "FLT-2"}]}

with ``X-Shop-Timestamp`` (Unix seconds) and ``X-Shop-Signature``: the hex HMAC-SHA256,
keyed by ``settings.SHOP_WEBHOOK_SECRET``, of ``"<timestamp>.<body>"`` (``sha256=`` may
prefix it). A missing or wrong signature, or a timestamp more than :data:`TOLERANCE` away
from now, is refused (403); so is every call while no secret is set. A body that is not
the JSON above is refused (400). Each delivery is remembered by its id with its body's
digest (:class:`~community.models.PurchaseDelivery`): the same delivery again changes
nothing (200, ``"repeat": true``); the same id with another body is refused (409).
Unknown SKUs are listed in the answer; the others are recorded through
:func:`community.commerce.ownership.purchase_record`.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from community import signed_calls
from community.models import Ownership, Product, PurchaseDelivery

# The shop signs as every signed caller does (``community.signed_calls``).
from community.signed_calls import TOLERANCE, Refused, signature  # noqa: F401

from . import ownership

MAX_ITEMS = 100
TIMESTAMP_HEADER = "X-Shop-Timestamp"
SIGNATURE_HEADER = "X-Shop-Signature"


def check_signed(*, timestamp: str | None, given: str | None, body: bytes,
                 now: float | None = None) -> None:
    """Refuse (403) a call that is not signed with the shop's secret, or not fresh."""
    signed_calls.check_signed(secret=getattr(settings, "SHOP_WEBHOOK_SECRET", ""),
                              timestamp=timestamp, given=given, body=body, now=now,
                              what="purchase webhook")


@dataclass
class Purchase:
    delivery_id: str
    email: str
    skus: list[str]
    purchased_on: date | None
    order_ref: str


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise Refused(400, "purchased_on must be a date such as 2026-11-30.")
    try:
        return (datetime.fromisoformat(value.replace("Z", "+00:00")).date()
                if "T" in value else date.fromisoformat(value))
    except ValueError:
        raise Refused(400, "purchased_on must be a date such as 2026-11-30.") from None


def parse(body: bytes) -> Purchase:
    """The purchase a body describes (400 when it does not describe one)."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "The body is not JSON.") from None
    if not isinstance(data, dict):
        raise Refused(400, "The body must be a JSON object.")
    delivery = data.get("delivery_id")
    if not isinstance(delivery, str) or not 0 < len(delivery) <= 100:
        raise Refused(400, "delivery_id must be a string of 1 to 100 characters.")
    email = data.get("email")
    try:
        validate_email(email if isinstance(email, str) else "")
    except Exception:  # noqa: BLE001  (ValidationError: the message below says it)
        raise Refused(400, "email must be an email address.") from None
    items = data.get("items")
    if not isinstance(items, list) or not 0 < len(items) <= MAX_ITEMS or not all(
            isinstance(item, dict) and isinstance(item.get("sku"), str) and item["sku"]
            for item in items):
        raise Refused(400, f"items must list 1 to {MAX_ITEMS} objects with a sku.")
    ref = data.get("order_ref") or ""
    if not isinstance(ref, str):
        raise Refused(400, "order_ref must be a string.")
    return Purchase(delivery_id=delivery, email=email, purchased_on=_date(
        data.get("purchased_on")), order_ref=ref[:100],
        skus=list(dict.fromkeys(item["sku"].strip() for item in items)))


@dataclass
class Outcome:
    delivery_id: str
    repeat: bool = False
    verified: int = 0
    pending: int = 0
    unchanged: int = 0
    unknown_skus: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"delivery_id": self.delivery_id, "repeat": self.repeat,
                "verified": self.verified, "pending": self.pending,
                "unchanged": self.unchanged, "unknown_skus": self.unknown_skus}


def receive(*, body: bytes, timestamp: str | None, given: str | None,
            now: float | None = None) -> Outcome:
    """Check, then record one delivery of the shop's purchase call (see the module)."""
    check_signed(timestamp=timestamp, given=given, body=body, now=now)
    purchase = parse(body)
    digest = hashlib.sha256(body).hexdigest()
    outcome = Outcome(delivery_id=purchase.delivery_id)
    try:
        with transaction.atomic():
            delivery = PurchaseDelivery.objects.create(delivery_id=purchase.delivery_id,
                                                       body_sha256=digest)
            products = {p.sku: p for p in Product.objects.filter(sku__in=purchase.skus)}
            for sku in purchase.skus:
                product = products.get(sku)
                if product is None:
                    outcome.unknown_skus.append(sku)
                    continue
                done = ownership.purchase_record(
                    email=purchase.email, product=product, source=Ownership.Source.WEBHOOK,
                    purchased_on=purchase.purchased_on, order_ref=purchase.order_ref)
                setattr(outcome, done.outcome, getattr(outcome, done.outcome) + 1)
            delivery.ownerships = outcome.verified + outcome.pending
            delivery.save(update_fields=["ownerships"])
    except IntegrityError:  # this delivery id was received before
        earlier = PurchaseDelivery.objects.filter(delivery_id=purchase.delivery_id).first()
        if earlier is None or earlier.body_sha256 != digest:
            raise Refused(409, "This delivery id was received with another body.") from None
        outcome = Outcome(delivery_id=purchase.delivery_id, repeat=True)
    return outcome
