"""Moments: a host's prompt ("Show us your brew day") and the members' entries to it.

A moment owns one thread in its space, opened by the host with the brief: an announcement,
so that the prompt shows in the "From the host" slot and not among the members'
conversations (the brand's own posts never lead that feed). Each
entry IS a post in that thread (a top-level reply), so flags, the review queue, new-member
limits, reactions, replies and events are the posts' own; :class:`MomentEntry` adds what
the gallery needs: the photo (a :class:`~community.models.PostImage` of the post) and
whether a host featured it.

A host may tie a moment to a project or a partner organisation. Those live in ``purpose``
and ``partners``, which community never imports, so the tie is stored on their side (their
``ProjectMoment`` and ``OrganisationMoment``, one per moment) and recorded as their event;
they offer their choices and the moment page's line through ``community.moment_ties``,
registered from their ``AppConfig.ready()``. A moment has one tie at most.
"""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .conversations import Post, Space, Thread
from .media import PostImage

TITLE_MAX = 120
BRIEF_MAX = 1000
CAPTION_MAX = 500
STORY_MAX = 3000


class Moment(models.Model):
    class Answer(models.TextChoices):
        PHOTO = "photo", gettext_lazy("A photo")
        STORY = "story", gettext_lazy("A short story")
        BOTH = "both", gettext_lazy("A photo or a story")

    title = models.CharField(max_length=TITLE_MAX)
    brief = models.TextField(max_length=BRIEF_MAX)
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="moments")
    thread = models.OneToOneField(Thread, on_delete=models.PROTECT, related_name="moment")
    cover = models.ForeignKey(PostImage, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    answer = models.CharField(max_length=8, choices=Answer.choices, default=Answer.BOTH)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    entry_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        constraints = [models.CheckConstraint(
            condition=models.Q(closes_at__gt=models.F("opens_at")),
            name="moment_closes_after_opening")]
        indexes = [models.Index(fields=["closes_at", "opens_at"], name="moment_times_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("moment", kwargs={"pk": self.pk})

    def state(self, now=None) -> str:
        """upcoming, open or closed, at ``now``."""
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"

    @property
    def is_open(self) -> bool:
        return self.state() == "open"

    @property
    def wants_photo(self) -> bool:
        return self.answer in (self.Answer.PHOTO, self.Answer.BOTH)

    @property
    def wants_story(self) -> bool:
        return self.answer in (self.Answer.STORY, self.Answer.BOTH)


class MomentEntry(models.Model):
    moment = models.ForeignKey(Moment, on_delete=models.CASCADE, related_name="entries")
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="moment_entry")
    image = models.ForeignKey(PostImage, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    featured_at = models.DateTimeField(null=True, blank=True)
    featured_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["moment", "-created_at"], name="moment_entry_new_idx"),
            models.Index(fields=["-featured_at"], name="moment_entry_featured_idx",
                         condition=models.Q(featured_at__isnull=False)),
        ]

    def __str__(self):
        return f"entry {self.pk} to moment {self.moment_id}"

    @property
    def is_featured(self) -> bool:
        return self.featured_at is not None

    @property
    def text(self) -> str:
        """The caption or story as typed (the post's body without its photo)."""
        body = self.post.body
        if self.image_id and self.image and body.startswith(self.image.markdown):
            body = body[len(self.image.markdown):]
        return body.strip()

    @property
    def loved(self) -> int:
        return self.post.like_count + self.post.helpful_count
