"""A member's push devices: turned on from the browser, removed from the settings page, by
the browser, by signing out of the device, or by the push service (404/410).

Each write records its event in the same transaction (``PushSubscribed``,
``PushRemoved``). Sending is ``engine.push``.
"""
import base64
import binascii
import hmac
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from community.api.webhooks import guard
from community.engine import events
from community.models import PushSubscription, User
from community.models.push import ENDPOINT_MAX, LABEL_MAX

# The devices a session turned push on for (ids): signing out of it removes them.
SESSION_DEVICES = "push_devices"
# Devices one member may have at once: a phone, a tablet, a few browsers.
MAX_DEVICES = 20

_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser", "Samsung Internet"),
             ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Chromium/", "Chromium"),
             ("Safari/", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
            ("CrOS", "ChromeOS"), ("Windows", "Windows"), ("Mac OS X", "macOS"),
            ("Linux", "Linux"))
_B64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")


def device_label(user_agent: str) -> str:
    """"Chrome on Android" from a browser's User-Agent (what the settings page lists)."""
    user_agent = user_agent or ""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    if browser and system:
        return gettext("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return (browser or system or gettext("A browser"))[:LABEL_MAX]


def _key(value, size: int, what: str) -> str:
    """A base64url key of ``size`` bytes, as the browser's ``PushSubscription.toJSON``
    gives it."""
    if not isinstance(value, str) or not _B64URL.match(value) or len(value) > 200:
        raise ValidationError(gettext("The browser sent no valid %(what)s key.") % {"what": what})
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as error:
        raise ValidationError(gettext("The browser sent no valid %(what)s key.")
                              % {"what": what}) from error
    if len(raw) != size:
        raise ValidationError(gettext("The browser sent no valid %(what)s key.") % {"what": what})
    return value.rstrip("=")


def check_subscription(data) -> tuple[str, str, str]:
    """(endpoint, p256dh, auth) of a subscription as the browser sends it
    (``{"endpoint": ..., "keys": {"p256dh": ..., "auth": ...}}``); raises
    ``ValidationError`` with what is wrong. The endpoint must be a public https address
    (the same guard as webhooks: the worker sends to it)."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        raise ValidationError(gettext("The browser sent no push subscription."))
    endpoint = data.get("endpoint")
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > ENDPOINT_MAX:
        raise ValidationError(gettext("The browser sent no push address."))
    try:
        guard.resolve(endpoint)
    except guard.UnsafeAddress as refused:
        raise ValidationError(gettext("This browser's push address cannot be used: it must "
                                      "be a public https address.")) from refused
    return (endpoint, _key(data["keys"].get("p256dh"), 65, "p256dh"),
            _key(data["keys"].get("auth"), 16, "auth"))


def subscription_save(*, actor: User, data, user_agent: str = "") -> PushSubscription:
    """Turn push on for the device that sent ``data``. The same endpoint again (a renewed
    subscription, or another member signing in on that browser) moves to ``actor`` with
    the new keys."""
    endpoint, p256dh, auth = check_subscription(data)
    label = device_label(user_agent)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()  # one count at a time
        existing = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
        if existing is None and PushSubscription.objects.filter(
                member=actor).count() >= MAX_DEVICES:
            raise ValidationError(gettext("You have push on %(count)s devices already: "
                                          "remove one first.") % {"count": MAX_DEVICES})
        if existing is None:
            subscription = PushSubscription.objects.create(
                member=actor, endpoint=endpoint, p256dh=p256dh, auth=auth, label=label)
        elif (existing.member_id, existing.p256dh, existing.auth) == (actor.pk, p256dh, auth):
            return existing  # the settings page confirming what the browser has: no change
        else:
            subscription = existing
            subscription.member, subscription.p256dh, subscription.auth = actor, p256dh, auth
            subscription.label = label
            subscription.save(update_fields=["member", "p256dh", "auth", "label"])
        events.PushSubscribed.record(actor=actor, subscription=subscription.pk,
                                     renewed=existing is not None)
    return subscription


def subscription_renew(*, old, data) -> PushSubscription:
    """The browser replaced a device's subscription (the service worker's
    ``pushsubscriptionchange``): ``old`` is the previous ``PushSubscription.toJSON()``,
    ``data`` the new one. The old endpoint and its ``auth`` secret, which only that browser
    and this site hold, prove the device: no session is needed (the worker may wake long
    after it ended). The device keeps its member, label and history under the new
    address; an address this site does not know raises ``ValidationError``."""
    if not isinstance(old, dict) or not isinstance(old.get("keys"), dict):
        raise ValidationError(gettext("The browser sent no earlier push subscription."))
    old_endpoint, old_auth = old.get("endpoint"), old["keys"].get("auth")
    if not isinstance(old_endpoint, str) or not isinstance(old_auth, str):
        raise ValidationError(gettext("The browser sent no earlier push subscription."))
    endpoint, p256dh, auth = check_subscription(data)
    with transaction.atomic():
        device = PushSubscription.objects.select_for_update().filter(
            endpoint=old_endpoint).first()
        if device is None or not hmac.compare_digest(device.auth.encode(),
                                                     old_auth.rstrip("=").encode()):
            raise ValidationError(gettext("This site does not know that push subscription."),
                                  code="unknown")
        if endpoint != old_endpoint:
            # The new address already on file (a renewal told twice): that row gives way.
            PushSubscription.objects.filter(endpoint=endpoint).exclude(pk=device.pk).delete()
        device.endpoint, device.p256dh, device.auth = endpoint, p256dh, auth
        device.save(update_fields=["endpoint", "p256dh", "auth"])
        events.PushSubscribed.record(actor=device.member, subscription=device.pk,
                                     renewed=True)
    return device


def subscription_remove(*, actor: User, subscription: PushSubscription,
                        reason: str = "member") -> None:
    """Turn push off for one of ``actor``'s devices (its queued messages go with it)."""
    if subscription.member_id != actor.pk:
        raise ValidationError(gettext("This device is not yours."))
    with transaction.atomic():
        deleted, _ = PushSubscription.objects.filter(pk=subscription.pk).delete()
        if deleted:
            events.PushRemoved.record(actor=actor, subscription=subscription.pk, reason=reason)


def subscriptions_remove(*, actor: User, endpoint: str | None = None,
                         ids=None, reason: str = "member") -> int:
    """Remove ``actor``'s devices with this endpoint (what the browser says when push is
    turned off there) or these ids (the devices of a session signing out)."""
    found = PushSubscription.objects.filter(member=actor)
    if endpoint is not None:
        found = found.filter(endpoint=endpoint)
    if ids is not None:
        found = found.filter(pk__in=list(ids))
    removed = 0
    for subscription in found:
        subscription_remove(actor=actor, subscription=subscription, reason=reason)
        removed += 1
    return removed


def session_signed_out(*, request, user) -> int:
    """The devices this session turned push on for stop receiving ``user``'s notices when
    they sign out of it (someone else may use this browser next)."""
    session = getattr(request, "session", None)
    ids = (session.get(SESSION_DEVICES) if session is not None else None) or []
    if not ids or user is None or not user.is_authenticated:
        return 0
    return subscriptions_remove(actor=user, ids=ids, reason="signed_out")
