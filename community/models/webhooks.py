"""Outgoing webhooks: the endpoints admins register and each event's delivery to each one.

A :class:`WebhookEndpoint` is a receiver's address, the event kinds it wants and the secret
its deliveries are signed with (shown to the admin once, when made or rotated). Deleting
sets ``deleted_at`` (undo puts it back); nothing is sent to a deleted or disabled endpoint.

A :class:`WebhookDelivery` is one event for one endpoint, made by the engine in the
transaction that marks the event processed (``community.api.webhooks.outbox``): unique per
(endpoint, event), so the outbox never makes two, and once ``delivered`` it is never sent
again unless an admin asks to send it again (the same message id).
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

URL_MAX = 500
DESCRIPTION_MAX = 200
EXCERPT_MAX = 500
ERROR_MAX = 300


class WebhookEndpoint(models.Model):
    url = models.URLField(max_length=URL_MAX)
    description = models.CharField(max_length=DESCRIPTION_MAX, blank=True)
    # The signing secret ("whsec_" + base64 of 24 random bytes), encrypted at rest
    # (``community.api.webhooks.sealing``); read and set it through ``secret``.
    secret_sealed = models.CharField(max_length=300)
    kinds = models.JSONField(default=list)  # event kind values it is sent
    active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)  # first failure in a row
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.url

    @property
    def secret(self) -> str:
        from community.api.webhooks import sealing

        return sealing.unseal(self.secret_sealed)

    @secret.setter
    def secret(self, value: str) -> None:
        from community.api.webhooks import sealing

        self.secret_sealed = sealing.seal(value)


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed (gave up)")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE,
                                 related_name="deliveries")
    event = models.ForeignKey("community.EngagementEvent", on_delete=models.CASCADE,
                              related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    retry_until = models.DateTimeField(null=True, blank=True)  # then it is given up: failed
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=ERROR_MAX, blank=True)
    last_response = models.CharField(max_length=EXCERPT_MAX, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_delivery_once"),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"),
                         name="webhook_delivery_due_idx"),
        ]

    def __str__(self):
        return f"{self.event_id} -> {self.endpoint_id} ({self.status})"
