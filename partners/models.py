"""Partner organisations, their people, and the content they create with the community.

An organisation applies; a host verifies or declines it (with a reason). Its people are
``PartnerMembership`` rows: the partner role exists only through them, so removing a row
takes the role away on the member's next request. Co-created content is a thread of the
conversation layer (members reply and vote as anywhere) with a ``PartnerPost`` that credits
the organisation and the ``CoAuthor`` members who accepted.
"""
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy


def logo_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"partners/{timezone.now():%Y/%m}/{secrets.token_hex(10)}.{ext}"


class Organisation(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", gettext_lazy("Applied")
        VERIFIED = "verified", gettext_lazy("Verified")
        DECLINED = "declined", gettext_lazy("Declined")

    name = models.CharField(
        max_length=120,
        unique=True,
        error_messages={"unique": gettext_lazy("An organisation with this name already exists.")},
    )
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(blank=True, max_length=5000)
    website = models.URLField(blank=True)
    links = models.TextField(blank=True, max_length=2000,
                             help_text=gettext_lazy("More links (shop, social, events), one per "
                                                    "line."))
    logo = models.ImageField(upload_to=logo_path, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPLIED)
    decline_reason = models.CharField(max_length=500, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    application_note = models.TextField(
        blank=True, max_length=2000,
        help_text=gettext_lazy("Why the organisation wants to partner."))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(models.functions.Lower("name"),
                                    name="organisation_name_ci_unique"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(self.name)[:130] or "organisation"
            slug, n = base, 1
            while Organisation.objects.filter(slug=slug).exclude(pk=self.pk).exists():
                n += 1
                slug = f"{base}-{n}"
            self.slug = slug
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("partners:organisation", kwargs={"slug": self.slug})

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines()
                if line.strip().startswith(("https://", "http://"))]


class PartnerMembership(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_memberships"
    )
    is_admin = models.BooleanField(default=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership")
        ]

    def __str__(self):
        return f"{self.user} at {self.organisation}"


class PartnerInvitation(models.Model):
    """An organisation's admin invites a colleague by email; the signed link is the key."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="invitations")
    email = models.EmailField()
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} to {self.organisation}"


class PartnerPost(models.Model):
    """A thread published by a partner, credited to its organisation."""

    class Kind(models.TextChoices):
        HOWTO = "howto", gettext_lazy("How-to")
        EVENT = "event", gettext_lazy("Event")
        OFFER = "offer", gettext_lazy("Offer")
        STORY = "story", gettext_lazy("Story")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="posts")
    thread = models.OneToOneField("community.Thread", on_delete=models.CASCADE,
                                  related_name="partner_post")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    project = models.ForeignKey("purpose.Project", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="partner_posts")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.organisation}"


class CoAuthor(models.Model):
    """A member credited on partner content once they accept."""

    post = models.ForeignKey(PartnerPost, on_delete=models.CASCADE, related_name="coauthors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="coauthorships")
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["invited_at", "id"]
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="one_coauthor")]

    def __str__(self):
        return f"{self.user} on {self.post}"

    def get_absolute_url(self):
        return reverse("partners:coauthor", kwargs={"pk": self.pk})


class OrganisationMoment(models.Model):
    """A host's moment made with a partner (``community.moment_ties``: the moment's page
    says so, the partner's page lists it). A moment has one tie at most."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="moment_ties")
    moment = models.OneToOneField("community.Moment", on_delete=models.CASCADE,
                                  related_name="partner_tie")
    tied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"],
                                name="organisation_moment_new")]

    def __str__(self):
        return f"moment {self.moment_id} with {self.organisation}"
def https_only(url: str) -> None:
    from django.core.exceptions import ValidationError

    if not url.lower().startswith("https://"):
        raise ValidationError(gettext("An offer's link must start with https://."), code="https")


class Offer(models.Model):
    """A partner's offer on a product (a discount, a bundle), shown on the product's page
    while it is live: approved (at once, unless the site holds partner content for a host),
    started and not yet ended (``starts_at <= now < ends_at``). Members reach it through
    ``/offers/<pk>/go/``, which counts the click and sends them to the offer's own stored
    address only."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="offers")
    product = models.ForeignKey("community.Product", on_delete=models.CASCADE,
                                related_name="offers")
    title = models.CharField(max_length=120)
    terms = models.TextField(max_length=1000, help_text=gettext_lazy("What the member gets, and "
                                                                     "the fine "
                             "print (who may use it, until when, how)."))
    url = models.URLField(gettext_lazy("link"), max_length=500, validators=[https_only],
                          help_text=gettext_lazy("The offer's page on the partner's site "
                                                 "(https://)."))
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    click_count = models.PositiveIntegerField(default=0)
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text=gettext_lazy("Taken off the product's page by its "
                                                      "partner or a "
        "host before its end (put back: empty again)."))
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["ends_at", "id"]
        indexes = [models.Index(fields=["product", "starts_at", "ends_at"],
                                name="offer_product_window_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F(
            "starts_at")), name="offer_ends_after_it_starts")]

    def __str__(self):
        return f"{self.title} ({self.organisation})"

    def get_absolute_url(self):
        return reverse("partners:offer_go", kwargs={"pk": self.pk})

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.approved_at is not None and self.withdrawn_at is None
                and self.starts_at <= now < self.ends_at)
