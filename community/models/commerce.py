"""Commerce that stays social: the shop's catalogue, who owns what, and the shop's calls.

A :class:`Product` comes from the shop's feed (``manage.py import_products``, keyed by its
SKU) or from a host's form; accessories name their main product (``parent``), so a kettle
and its filters are one *family*. A product may name a tag: a question carrying that tag is
about the product, as is a question asked from the product's page (``Thread.product``).

A member's :class:`Ownership` of a product is *declared* ("I own this") or *verified*: by an
order the shop exported (``manage.py import_orders``) or by the shop's signed purchase call
(the webhook). An order for an email with no account yet is kept as a
:class:`PendingOwnership` under a keyed digest of the address (never the address itself), so
that the member who later signs up with it, once the address is confirmed, arrives verified.
:class:`PurchaseDelivery` remembers each webhook delivery's id: a replay is refused and a
repeat of the same delivery changes nothing.
"""
import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy

SKU_MAX = 64
NAME_MAX = 200
DESCRIPTION_MAX = 5000


class Product(models.Model):
    sku = models.CharField(gettext_lazy("SKU"), max_length=SKU_MAX, unique=True)
    name = models.CharField(max_length=NAME_MAX)
    slug = models.SlugField(max_length=80, unique=True)
    line = models.CharField(gettext_lazy("brand line"), max_length=120, blank=True,
                            help_text=gettext_lazy(
                                "The range the product belongs to, e.g. Summit."))
    description = models.TextField(max_length=DESCRIPTION_MAX, blank=True)
    shop_url = models.URLField(gettext_lazy("address on the shop"), max_length=500, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="accessories",
                               help_text=gettext_lazy(
                                   "For an accessory: the product it belongs to."))
    space = models.ForeignKey("community.Space", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="products",
                              help_text=gettext_lazy("Where questions asked from its page go."))
    tag = models.ForeignKey("community.Tag", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="products",
                            help_text=gettext_lazy(
                                "Questions with this tag are about the product."))
    is_active = models.BooleanField(gettext_lazy("on sale"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["line", "name"], name="product_line_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("product", kwargs={"slug": self.slug})


class ProductImage(models.Model):
    """A picture of a product: a :class:`~community.models.PostImage` (re-encoded, at every
    size) that the product holds, so the orphan sweep leaves it."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.OneToOneField("community.PostImage", on_delete=models.CASCADE,
                                 related_name="product_image")
    position = models.PositiveSmallIntegerField(default=0)
    # The feed's picture: a digest of the file it came from, so that importing the feed
    # again keeps it, and a new file replaces it (a host's own photos have none).
    source_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["product", "position", "pk"]

    def __str__(self):
        return f"image {self.position} of {self.product_id}"


class Ownership(models.Model):
    class Source(models.TextChoices):
        DECLARED = "declared", gettext_lazy("Said by the member")
        ORDER = "order", gettext_lazy("An imported order")
        WEBHOOK = "webhook", gettext_lazy("A purchase the shop reported")

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="ownerships")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="ownerships")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.DECLARED)
    verified_at = models.DateTimeField(null=True, blank=True)
    purchased_on = models.DateField(null=True, blank=True)
    order_ref = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "product"],
                                               name="one_ownership_per_member_product")]
        indexes = [
            models.Index(fields=["product", "verified_at"], name="ownership_product_idx"),
        ]

    def __str__(self):
        return f"{self.member_id} owns {self.product_id}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


def email_digest(email: str) -> str:
    """A keyed digest of a normalised address: what a pending order is stored under."""
    key = settings.OWNERSHIP_EMAIL_KEY.encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


class PendingOwnership(models.Model):
    """An order for an address no account has (yet), under :func:`email_digest`."""

    email_digest = models.CharField(max_length=64, db_index=True)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=Ownership.Source.choices)
    purchased_on = models.DateField(null=True, blank=True)
    order_ref = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email_digest", "product"],
                                               name="one_pending_per_digest_product")]

    def __str__(self):
        return f"pending {self.product_id}"


class PurchaseDelivery(models.Model):
    """One delivery of the shop's purchase webhook, by the id the shop gave it."""

    delivery_id = models.CharField(max_length=100, unique=True)
    # What the delivery said (SHA-256 of its body): the same id with another body is refused.
    body_sha256 = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    ownerships = models.PositiveSmallIntegerField(default=0)

    def __str__(self):
        return self.delivery_id
