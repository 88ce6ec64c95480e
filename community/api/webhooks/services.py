"""The admins' writes to webhook endpoints, and the worker's one (disabling a failing one).

Each checks ``can_manage_webhooks``, changes the rows and records a ``webhook_saved`` (or
``webhook_pinged``) event in one transaction. An address is checked by the SSRF guard here
as well as in the form, so no path around the form registers a private address.
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from community import permissions
from community.engine import events
from community.engine.enqueue import enqueue
from community.models import User, WebhookDelivery, WebhookEndpoint

from . import guard, payloads, signing
from .outbox import DELIVER_TASK, retry_window

REFUSAL = _("Only the site's admins manage webhooks.")
EMAIL_TASK = "community.send_webhook_disabled_email"


def _require(admin) -> None:
    permissions.require(permissions.can_manage_webhooks(admin), REFUSAL)


def _check(url: str, kinds: list[str]) -> None:
    try:
        guard.resolve(url)
    except guard.UnsafeAddress as refused:
        raise ValidationError(str(refused), code="url") from refused
    allowed = {value for value, _label in payloads.subscribable()}
    if not kinds or not set(kinds) <= allowed:
        raise ValidationError(_("Choose at least one event from the list."), code="kinds")


def _saved(admin, endpoint, action, **extra) -> None:
    events.WebhookSaved.record(actor=admin, endpoint=endpoint.pk, action=action, **extra)


def endpoint_create(*, admin: User, url: str, kinds: list[str],
                    description: str = "") -> WebhookEndpoint:
    """Register an endpoint; its ``secret`` is shown to the admin once, now."""
    _require(admin)
    _check(url, kinds)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            url=url, kinds=sorted(set(kinds)), description=description.strip(),
            secret=signing.secret_new(), created_by=admin)
        _saved(admin, endpoint, "created")
    return endpoint


def endpoint_edit(*, admin: User, endpoint: WebhookEndpoint, url: str, kinds: list[str],
                  description: str = "") -> bool:
    """Change the address, the events or the description; False when nothing changed."""
    _require(admin)
    _check(url, kinds)
    values = {"url": url, "kinds": sorted(set(kinds)), "description": description.strip()}
    changed = [name for name, value in values.items() if getattr(endpoint, name) != value]
    if not changed:
        return False
    with transaction.atomic():
        for name in changed:
            setattr(endpoint, name, values[name])
        endpoint.save(update_fields=[*changed, "updated_at"])
        _saved(admin, endpoint, "edited")
    return True


def secret_rotate(*, admin: User, endpoint: WebhookEndpoint) -> str:
    """A new secret (shown once); deliveries from now on are signed with it."""
    _require(admin)
    with transaction.atomic():
        endpoint.secret = signing.secret_new()
        endpoint.save(update_fields=["secret_sealed", "updated_at"])
        _saved(admin, endpoint, "rotated")
    return endpoint.secret


def endpoint_set_active(*, admin: User, endpoint: WebhookEndpoint, active: bool) -> bool:
    """Disable (nothing is sent; deliveries wait) or enable (the failure count starts
    again, what waits is sent); False when it already was."""
    _require(admin)
    if endpoint.active == active:
        return False
    with transaction.atomic():
        endpoint.active = active
        endpoint.disabled_at = None if active else timezone.now()
        endpoint.disabled_reason = "" if active else (
            gettext("Disabled by %(name)s.") % {"name": admin.name})
        endpoint.consecutive_failures, endpoint.failing_since = 0, None
        endpoint.save(update_fields=["active", "disabled_at", "disabled_reason",
                                     "consecutive_failures", "failing_since", "updated_at"])
        _saved(admin, endpoint, "enabled" if active else "disabled")
        if active:
            # What waited while it was off goes out now (its 24 hours start again).
            now = timezone.now()
            endpoint.deliveries.filter(status=WebhookDelivery.Status.PENDING).update(
                next_attempt_at=now, retry_until=now + retry_window())
            enqueue("community.sweep_webhooks")
    return True


def endpoint_delete(*, admin: User, endpoint: WebhookEndpoint) -> bool:
    """Delete (restorable: :func:`endpoint_restore`); nothing is sent meanwhile."""
    _require(admin)
    if endpoint.deleted_at is not None:
        return False
    with transaction.atomic():
        endpoint.deleted_at = timezone.now()
        endpoint.save(update_fields=["deleted_at", "updated_at"])
        _saved(admin, endpoint, "deleted")
    return True


def endpoint_restore(*, admin: User, endpoint: WebhookEndpoint) -> bool:
    _require(admin)
    if endpoint.deleted_at is None:
        return False
    with transaction.atomic():
        endpoint.deleted_at = None
        endpoint.save(update_fields=["deleted_at", "updated_at"])
        _saved(admin, endpoint, "restored")
    return True


def delivery_resend(*, admin: User, delivery: WebhookDelivery) -> None:
    """Send a delivery again, whatever became of it, with the same message id."""
    _require(admin)
    now = timezone.now()
    with transaction.atomic():
        delivery.status = WebhookDelivery.Status.PENDING
        delivery.next_attempt_at = now
        delivery.retry_until = now + retry_window()
        delivery.save(update_fields=["status", "next_attempt_at", "retry_until"])
        _saved(admin, delivery.endpoint, "resent", delivery=delivery.pk)
        enqueue(DELIVER_TASK, [delivery.pk])


def endpoint_ping(*, admin: User, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A ``webhook_pinged`` event delivered to this endpoint alone (in its log as the rest)."""
    _require(admin)
    now = timezone.now()
    with transaction.atomic():
        event = events.WebhookPinged.record(actor=admin, endpoint=endpoint.pk)
        delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event,
                                                  next_attempt_at=now,
                                                  retry_until=now + retry_window())
        enqueue(DELIVER_TASK, [delivery.pk])
    return delivery


def endpoint_disable_failing(*, endpoint_id: int, reason: str) -> bool:
    """The worker's: disable an endpoint whose deliveries keep failing, and email the
    admins once (after the commit). False when it was disabled already."""
    now = timezone.now()
    with transaction.atomic():
        if not WebhookEndpoint.objects.filter(pk=endpoint_id, active=True).update(
                active=False, disabled_at=now, disabled_reason=reason[:200]):
            return False
        events.WebhookSaved.record(endpoint=endpoint_id, action="disabled")
        enqueue(EMAIL_TASK, endpoint_id)
    return True


def disabled_email_send(*, endpoint_id: int) -> int:
    """Tell every admin with an address that an endpoint was disabled; how many were told."""
    from django.urls import reverse

    from community.emails import absolute, language_of, send_templated

    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id, active=False).first()
    if endpoint is None:
        return 0
    admins = User.objects.filter(is_superuser=True, is_active=True, is_unclaimed=False,
                                 email__isnull=False).exclude(email="").order_by("pk")
    link = absolute(reverse("webhook_detail", kwargs={"pk": endpoint.pk}))
    sent = 0
    for admin in admins:
        send_templated(to=admin.email, template="webhook_disabled", context={
            "admin": admin, "endpoint": endpoint, "link": link,
            "site_url": settings.SITE_URL}, language=language_of(admin))
        sent += 1
    return sent
