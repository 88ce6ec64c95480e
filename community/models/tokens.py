"""Personal access tokens for the public API (``community.api``).

A member creates a token on their settings page and sees its secret once; only its
SHA-256 is kept. ``prefix`` (the secret's first characters, not secret) names the token
in lists and finds its row when it is presented. A token acts as its member, within its
scopes and never beyond the member's role (``community.api.tokens``)."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("Read what you can see")
        WRITE = "write", _("Post, reply, edit and vote as you")
        MODERATE = "moderate", _("Host tools: moderate posts, read the health figures")
        ADMIN = "admin", _("Site administration")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="access_tokens")
    name = models.CharField(max_length=80, help_text=_("What the token is for."))
    prefix = models.CharField(max_length=16, unique=True,
                              help_text=_("The start of the token, shown in lists."))
    secret_hash = models.CharField(max_length=64, help_text=_("SHA-256 of the whole token."))
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="token_user_idx")]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_live(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.is_live() else "expired"

    @property
    def state_label(self) -> str:
        """``state`` in the reader's language, for the tokens page."""
        return {"revoked": _("Revoked"), "active": _("Active"),
                "expired": _("Expired")}[self.state]
