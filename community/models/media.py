"""Photos members put in their posts.

An upload is decoded, re-encoded without its metadata and stored at a few sizes
(``settings.POST_IMAGE_SIZES`` on the long side, never larger than the original) under a
``key`` the server made: ``posts/<key>-<width>.<ext>``. A body refers to it as
``![alt](upload:<key>)``; the renderer turns that into the responsive ``<img>`` when the
post is written (``community.content.rendering``), so reading a post costs no query per
image. ``post`` stays empty until a post that refers to the image is saved by its uploader;
images no post took within a day are deleted (``services.media.orphans_delete``).
"""
import string

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models

PUNCTUATION = frozenset(string.punctuation)


class PostImage(models.Model):
    key = models.CharField(max_length=32, unique=True, editable=False)
    uploader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="post_images")
    post = models.ForeignKey("community.Post", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="images")
    alt_text = models.CharField(max_length=300)
    width = models.PositiveIntegerField()  # of the largest stored size
    height = models.PositiveIntegerField()
    # The stored sizes, smallest first: [{"name": "posts/<key>-320.jpg", "width": 320,
    # "height": 240}, ...]; names in ``default_storage``.
    variants = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["uploader", "created_at"])]

    def __str__(self):
        return f"{self.key} ({self.alt_text[:40]})"

    @property
    def markdown(self) -> str:
        """What a body says to show this image."""
        # Every ASCII punctuation mark escaped (CommonMark allows it), so that the text
        # reads back as typed: no link, entity, code or emphasis made of the description.
        alt = "".join(f"\\{ch}" if ch in PUNCTUATION else ch
                      for ch in " ".join(self.alt_text.split()))
        return f"![{alt}](upload:{self.key})"

    def urls(self) -> list[tuple[str, int, int]]:
        """(address, width, height) of each stored size, smallest first."""
        return [(default_storage.url(v["name"]), v["width"], v["height"])
                for v in self.variants]
