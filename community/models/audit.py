"""The security audit trail: sign-ins, failed sign-ins, refusals and rate-limit hits.

Written by ``community.host.audit``; append-only like the moderation log (the admin shows it
read-only). Moderation actions have their own record, ``ModerationLog``.
"""
from django.conf import settings
from django.db import models


class AuditRecord(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", "Signed in"
        LOGIN_FAILED = "login_failed", "Sign-in failed"
        LOGOUT = "logout", "Signed out"
        DENIED = "denied", "Permission denied"
        RATE_LIMITED = "rate_limited", "Rate limit hit"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        SESSIONS_ENDED = "sessions_ended", "Sessions ended"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    identifier = models.CharField(
        max_length=150, blank=True,
        help_text="What was typed to sign in, for failures (never a password).")
    ip = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "-created_at"], name="audit_kind_time")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
