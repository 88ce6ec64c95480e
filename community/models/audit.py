"""The security audit trail: sign-ins, failed sign-ins, refusals and rate-limit hits.

Written by ``community.host.audit``; append-only like the moderation log (the admin shows it
read-only). Moderation actions have their own record, ``ModerationLog``.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class AuditRecord(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", gettext_lazy("Signed in")
        LOGIN_FAILED = "login_failed", gettext_lazy("Sign-in failed")
        LOGOUT = "logout", gettext_lazy("Signed out")
        DENIED = "denied", gettext_lazy("Permission denied")
        RATE_LIMITED = "rate_limited", gettext_lazy("Rate limit hit")
        PASSWORD_CHANGED = "password_changed", gettext_lazy("Password changed")
        SESSIONS_ENDED = "sessions_ended", gettext_lazy("Sessions ended")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    identifier = models.CharField(
        max_length=150, blank=True,
        help_text=gettext_lazy("What was typed to sign in, for failures (never a password)."))
    ip = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "-created_at"], name="audit_kind_time")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
