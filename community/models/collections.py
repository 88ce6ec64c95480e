"""Collections: members' named boards of threads and posts (curation).

A collection holds threads and posts (answers and replies) of the conversation. Project
contributions are not collected: they live in ``purpose``, which community never imports,
and a reference to them here would need a generic key that no page could check or prefetch.
"""
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .conversations import Post, Thread

TITLE_MAX = 80
DESCRIPTION_MAX = 500
NOTE_MAX = 280
RESTORE_FOR = timedelta(days=30)  # a deleted collection can be restored this long


class CollectionQuerySet(models.QuerySet):
    def live(self):
        """Not deleted (a deleted collection can still be restored by its owner)."""
        return self.filter(deleted_at__isnull=True)


class Collection(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="collections")
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(max_length=DESCRIPTION_MAX, blank=True)
    is_public = models.BooleanField(
        default=True, help_text=gettext_lazy("Public collections are seen by everyone; private "
                                             "ones by their owner only."))
    featured_at = models.DateTimeField(null=True, blank=True)
    featured_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "-updated_at"], name="collection_owner_idx"),
            models.Index(fields=["-featured_at"], name="collection_featured_idx",
                         condition=models.Q(featured_at__isnull=False,
                                            deleted_at__isnull=True)),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("collection", kwargs={"pk": self.pk})

    @property
    def is_featured(self) -> bool:
        return self.featured_at is not None


class CollectionItem(models.Model):
    """One thread or one post in a collection, at ``position`` (smallest first)."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    position = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=NOTE_MAX, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(thread__isnull=False, post__isnull=True)
                           | models.Q(thread__isnull=True, post__isnull=False)),
                name="collection_item_one_target"),
            models.UniqueConstraint(fields=["collection", "thread"],
                                    name="collection_item_thread_once"),
            models.UniqueConstraint(fields=["collection", "post"],
                                    name="collection_item_post_once"),
        ]
        indexes = [models.Index(fields=["collection", "position"],
                                name="collection_item_order_idx")]

    def __str__(self):
        return f"{self.collection_id}: {'thread' if self.thread_id else 'post'} " \
               f"{self.thread_id or self.post_id}"


class CollectionFollow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="collection_follows")
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE,
                                   related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "collection"],
                                               name="one_collection_follow")]

    def __str__(self):
        return f"{self.user_id} follows collection {self.collection_id}"
