"""Moderation: community settings, flags, suspensions and the audit log."""
from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone

SETTINGS_CACHE_KEY = "community:settings"


class CommunitySettings(models.Model):
    """The limits and thresholds hosts tune in the admin (one row).

    Defaults follow Discourse's trust level 0: a new member may post a little, with few links,
    until they earn full rights by taking part.
    """

    new_member_max_links = models.PositiveSmallIntegerField(
        "links per post", default=2, help_text="For new members.")
    new_member_max_images = models.PositiveSmallIntegerField(
        "images per post", default=1, help_text="For new members.")
    new_member_max_mentions = models.PositiveSmallIntegerField(
        "mentions per post", default=2, help_text="For new members.")
    new_member_threads_per_day = models.PositiveSmallIntegerField(
        "threads in the first day", default=3)
    new_member_replies_per_day = models.PositiveSmallIntegerField(
        "replies in the first day", default=10)
    new_member_thread_interval = models.PositiveIntegerField(
        "seconds between threads", default=120, help_text="For new members.")
    new_member_post_interval = models.PositiveIntegerField(
        "seconds between posts", default=30, help_text="For new members.")
    member_posts_per_minute = models.PositiveSmallIntegerField(
        "member posts per minute", default=10,
        help_text="Threads and replies, for members (new members too); 0: no limit.")
    member_posts_per_hour = models.PositiveSmallIntegerField(
        "member posts per hour", default=120,
        help_text="Threads and replies, for members (new members too); 0: no limit.")
    host_posts_per_minute = models.PositiveSmallIntegerField(
        "host posts per minute", default=30, help_text="For hosts and admins; 0: no limit.")
    host_posts_per_hour = models.PositiveSmallIntegerField(
        "host posts per hour", default=600, help_text="For hosts and admins; 0: no limit.")
    full_rights_posts = models.PositiveSmallIntegerField(
        "posts to earn full rights", default=3,
        help_text="Published posts a new member needs (with the days below) to lose the limits.")
    full_rights_days = models.PositiveSmallIntegerField(
        "days to earn full rights", default=1)
    hold_first_posts = models.PositiveSmallIntegerField(
        "first posts held for approval", default=0,
        help_text="A new member's first N posts wait in the review queue (0: none).")
    invitations_per_day = models.PositiveSmallIntegerField(
        "invitations a day", default=20,
        help_text="Email invitations a member may send in 24 hours.")
    new_member_invitations_per_day = models.PositiveSmallIntegerField(
        "invitations a day for new members", default=3,
        help_text="Email invitations a new member may send in 24 hours; their invitation "
        "notes may not hold links.")
    flag_hide_weight = models.FloatField(
        "flag weight that hides a post", default=3.0,
        help_text="A new member's flag weighs 1, a member's 2, a host's 3.")
    min_fill_seconds = models.PositiveSmallIntegerField(
        "minimum seconds to fill a form", default=2,
        help_text="Sign-up and post forms sent faster than this are treated as bots.")
    partner_posts_need_approval = models.BooleanField(
        "partner content waits for approval", default=False,
        help_text="Posts partners publish wait in the review queue until a host approves them.")
    blocked_words = models.TextField(
        blank=True, help_text="One word or phrase per line: posts containing one wait in the "
        "review queue.")
    welcome_message = models.TextField(
        default="Welcome to the community, {name}! Tell us what you brew, ask anything, and "
        "say hello in the introductions thread. Other members are glad to help.",
        help_text="Sent by the one-click welcome; {name} is the member's name.")
    brand_terms = models.TextField(
        "words for the brand", blank=True,
        help_text="One word or phrase per line that means the brand, besides the site's "
        "name and the product names and lines: a post naming one speaks of the brand.")
    brand_slogans = models.TextField(
        "brand slogans", blank=True,
        help_text="One per line, besides the tagline: a post quoting one back, next to "
        "negative words, reads as sarcastic.")

    class Meta:
        verbose_name = verbose_name_plural = "community settings"

    def __str__(self):
        return "Community settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(SETTINGS_CACHE_KEY)

    @classmethod
    def get(cls) -> "CommunitySettings":
        found = cache.get(SETTINGS_CACHE_KEY)
        if found is None:
            found, _ = cls.objects.get_or_create(pk=1)
            cache.set(SETTINGS_CACHE_KEY, found, 300)
        return found

    def blocked(self) -> list[str]:
        return [w.strip().lower() for w in self.blocked_words.splitlines() if w.strip()]

    def brand_words(self) -> list[str]:
        return _lines(self.brand_terms)

    def slogans(self) -> list[str]:
        return _lines(self.brand_slogans)


def _lines(text: str) -> list[str]:
    return [line.strip().lower() for line in (text or "").splitlines() if line.strip()]


class Flag(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        ABUSE = "abuse", "Abusive or harmful"
        OFF_TOPIC = "off_topic", "Off-topic"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        AGREED = "agreed", "A host agreed"
        DECLINED = "declined", "A host kept the post"
        DEFERRED = "deferred", "Deferred (not reviewed in time)"

    post = models.ForeignKey("community.Post", on_delete=models.CASCADE, related_name="flags")
    flagger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="flags")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    note = models.CharField(max_length=300, blank=True)
    weight = models.FloatField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["post", "flagger"], name="one_flag_per_member")
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="flag_status_idx")]

    def __str__(self):
        return f"{self.get_reason_display()} flag on post {self.post_id}"


class Suspension(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="suspensions")
    reason = models.CharField(max_length=300)
    ends_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "ends_at"], name="suspension_user_idx")]

    def __str__(self):
        return f"{self.user} until {self.ends_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None and self.ends_at > timezone.now()


class ModerationLog(models.Model):
    """What a host (or the flag threshold) did, kept as written: nobody edits or deletes it.

    People are recorded by id and by name at the time, so the record outlives accounts. On
    PostgreSQL a trigger refuses UPDATE and DELETE; the admin shows it read-only.
    """

    class Action(models.TextChoices):
        AUTO_HIDE = "auto_hide", "Hidden by flags"
        HOLD = "hold", "Held for review"
        APPROVE = "approve", "Approved"
        HIDE = "hide", "Hidden"
        DELETE = "delete", "Deleted"
        EDIT = "edit", "Edited by staff"
        SUSPEND = "suspend", "Suspended"
        UNSUSPEND = "unsuspend", "Suspension lifted"
        DEFER = "defer", "Flags deferred"
        PIN = "pin", "Pinned"
        UNPIN = "unpin", "Unpinned"
        LOCK = "lock", "Locked"
        UNLOCK = "unlock", "Unlocked"
        CLOSE = "close", "Closed"
        REOPEN = "reopen", "Reopened"
        MOVE = "move", "Moved"
        MERGE = "merge", "Merged"
        RETAG = "retag", "Tags changed"
        FEATURE = "feature", "Featured"
        UNFEATURE = "unfeature", "Unfeatured"
        WELCOME = "welcome", "Welcomed"
        INTRODUCE = "introduce", "Introduced"
        PROMOTE = "promote", "Given full rights"

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=12, choices=Action.choices)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=80, blank=True)
    target_user_id = models.BigIntegerField(null=True, blank=True)
    target_name = models.CharField(max_length=80, blank=True)
    thread_id = models.BigIntegerField(null=True, blank=True)
    post_id = models.BigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name or 'system'}: " \
               f"{self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The moderation log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The moderation log is append-only.")
