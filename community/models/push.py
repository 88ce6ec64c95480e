"""Web push: the devices a member turned push on for, and each message on its way to one.

A :class:`PushSubscription` is what a browser's Push API gave when the member allowed
notifications on that device: the push service's endpoint and the keys its messages are
encrypted for (``p256dh``, ``auth``). The endpoint is unique: subscribing again on the
same device updates the row. A push service that answers 404 or 410 has dropped the
subscription; the row is deleted (``engine.push.delivery``).

A :class:`PushMessage` is one notice for one subscription, made by
``engine.push.push_for_notices`` in the transaction that marks the notice pushed: sent
after commit, kept while the push service answers 429 or 5xx (tried again at
``next_attempt_at``, with backoff), deleted once delivered or given up.
"""
from django.conf import settings
from django.db import models

ENDPOINT_MAX = 1000
LABEL_MAX = 120


class PushSubscription(models.Model):
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="push_subscriptions")
    endpoint = models.URLField(max_length=ENDPOINT_MAX, unique=True)
    p256dh = models.CharField(max_length=200)  # the browser's public key, base64url
    auth = models.CharField(max_length=100)  # the shared authentication secret, base64url
    label = models.CharField(max_length=LABEL_MAX, blank=True)  # "Chrome on Android"
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.label or 'device'} of {self.member_id}"

    def info(self) -> dict:
        """What ``pywebpush`` sends to: the subscription as the browser gave it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class PushMessage(models.Model):
    subscription = models.ForeignKey(PushSubscription, on_delete=models.CASCADE,
                                     related_name="messages")
    payload = models.JSONField()  # {"title", "body", "url", "tag"}
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["next_attempt_at"], name="push_message_due_idx")]

    def __str__(self):
        return f"push {self.pk} to {self.subscription_id}"
