"""Partner organisations and their members (extended by the partners issue)."""
from django.conf import settings
from django.db import models
from django.utils.text import slugify


class Organisation(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        VERIFIED = "verified", "Verified"
        DECLINED = "declined", "Declined"

    name = models.CharField(
        max_length=120,
        unique=True,
        error_messages={"unique": "An organisation with this name already exists."},
    )
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPLIED)
    decline_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:140] or "organisation"
        super().save(*args, **kwargs)


class PartnerMembership(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_memberships"
    )
    is_admin = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership")
        ]

    def __str__(self):
        return f"{self.user} at {self.organisation}"
