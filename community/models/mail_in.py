"""Replies by email (``community.engine.mail_in``): one row per message received.

A message is known by its ``Message-ID`` (or, when it has none, by its bytes): the same
mail delivered twice, by SMTP and by the provider's hook or by a retrying sender, finds
its row and changes nothing.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class InboundMail(models.Model):
    class Outcome(models.TextChoices):
        POSTED = "posted", gettext_lazy("Posted in its thread")
        REFUSED = "refused", gettext_lazy("Refused")
        IGNORED = "ignored", gettext_lazy("Ignored (a bounce or an automatic reply)")

    # SHA-256 of the Message-ID (of the raw message when it has none): one row per mail.
    key = models.CharField(max_length=64, unique=True)
    message_id = models.CharField(max_length=255, blank=True)
    sender = models.CharField(max_length=254, blank=True)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    thread = models.ForeignKey("community.Thread", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    post = models.ForeignKey("community.Post", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.CharField(max_length=300, blank=True)
    # What was left out: attachments that are not photos, photos the pipeline refused.
    notes = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "inbound mail"

    def __str__(self):
        return f"{self.message_id or self.key[:12]}: {self.outcome}"
