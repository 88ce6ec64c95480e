"""Invitations: by email (single use) or a member's personal link (many friends)."""
from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy

INVITE_SALT = "community.invitation"


class Invitation(models.Model):
    class Kind(models.TextChoices):
        EMAIL = "email", gettext_lazy("Email")
        LINK = "link", gettext_lazy("Personal link")

    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="invitations_sent",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EMAIL)
    email = models.EmailField(blank=True)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["inviter", "-created_at"], name="invite_inviter_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["inviter"],
                condition=models.Q(kind="link"),
                name="one_personal_link_per_member",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} invite from {self.inviter}"

    def get_absolute_url(self):
        return reverse("invite_accept", kwargs={"token": self.token})

    @property
    def token(self) -> str:
        return signing.dumps({"i": self.pk}, salt=INVITE_SALT, compress=True)

    @property
    def single_use(self) -> bool:
        return self.kind == self.Kind.EMAIL
