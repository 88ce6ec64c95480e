"""Moderation: community settings, flags, suspensions and the audit log."""
from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from community.commerce.origins import listed, validate_origins

SETTINGS_CACHE_KEY = "community:settings"


class CommunitySettings(models.Model):
    """The limits and thresholds hosts tune in the admin (one row).

    Defaults follow Discourse's trust level 0: a new member may post a little, with few links,
    until they earn full rights by taking part.
    """

    new_member_max_links = models.PositiveSmallIntegerField(
        gettext_lazy("links per post"), default=2, help_text=gettext_lazy("For new members."))
    new_member_max_images = models.PositiveSmallIntegerField(
        gettext_lazy("images per post"), default=1, help_text=gettext_lazy("For new members."))
    new_member_max_mentions = models.PositiveSmallIntegerField(
        gettext_lazy("mentions per post"), default=2, help_text=gettext_lazy("For new members."))
    new_member_threads_per_day = models.PositiveSmallIntegerField(
        gettext_lazy("threads in the first day"), default=3)
    new_member_replies_per_day = models.PositiveSmallIntegerField(
        gettext_lazy("replies in the first day"), default=10)
    new_member_thread_interval = models.PositiveIntegerField(
        gettext_lazy("seconds between threads"), default=120,
        help_text=gettext_lazy("For new members."))
    new_member_post_interval = models.PositiveIntegerField(
        gettext_lazy("seconds between posts"), default=30,
        help_text=gettext_lazy("For new members."))
    member_posts_per_minute = models.PositiveSmallIntegerField(
        gettext_lazy("member posts per minute"), default=10,
        help_text=gettext_lazy("Threads and replies, for members (new members too); 0: no limit."))
    member_posts_per_hour = models.PositiveSmallIntegerField(
        gettext_lazy("member posts per hour"), default=120,
        help_text=gettext_lazy("Threads and replies, for members (new members too); 0: no limit."))
    host_posts_per_minute = models.PositiveSmallIntegerField(
        gettext_lazy("host posts per minute"), default=30,
        help_text=gettext_lazy("For hosts and admins; 0: no limit."))
    host_posts_per_hour = models.PositiveSmallIntegerField(
        gettext_lazy("host posts per hour"), default=600,
        help_text=gettext_lazy("For hosts and admins; 0: no limit."))
    full_rights_posts = models.PositiveSmallIntegerField(
        gettext_lazy("posts to earn full rights"), default=3,
        help_text=gettext_lazy("Published posts a new member needs (with the days below) to lose "
                               "the limits."))
    full_rights_days = models.PositiveSmallIntegerField(
        gettext_lazy("days to earn full rights"), default=1)
    hold_first_posts = models.PositiveSmallIntegerField(
        gettext_lazy("first posts held for approval"), default=0,
        help_text=gettext_lazy("A new member's first N posts wait in the review queue (0: none)."))
    invitations_per_day = models.PositiveSmallIntegerField(
        gettext_lazy("invitations a day"), default=20,
        help_text=gettext_lazy("Email invitations a member may send in 24 hours."))
    new_member_invitations_per_day = models.PositiveSmallIntegerField(
        gettext_lazy("invitations a day for new members"), default=3,
        help_text=gettext_lazy("Email invitations a new member may send in 24 hours; their "
                               "invitation notes may not hold links."))
    flag_hide_weight = models.FloatField(
        gettext_lazy("flag weight that hides a post"), default=3.0,
        help_text=gettext_lazy("A new member's flag weighs 1, a member's 2, a host's 3."))
    min_fill_seconds = models.PositiveSmallIntegerField(
        gettext_lazy("minimum seconds to fill a form"), default=2,
        help_text=gettext_lazy("Sign-up and post forms sent faster than this are treated as bots."))
    partner_posts_need_approval = models.BooleanField(
        gettext_lazy("partner content waits for approval"), default=False,
        help_text=gettext_lazy("Posts partners publish wait in the review queue until a host "
                               "approves them."))
    blocked_words = models.TextField(
        blank=True, help_text=gettext_lazy("One word or phrase per line: posts containing one wait "
                                           "in the review queue."))
    welcome_message = models.TextField(
        default="Welcome to the community, {name}! Tell us what you brew, ask anything, and "
        "say hello in the introductions thread. Other members are glad to help.",
        help_text=gettext_lazy("Sent by the one-click welcome; {name} is the member's name."))
    brand_terms = models.TextField(
        gettext_lazy("words for the brand"), blank=True,
        help_text=gettext_lazy("One word or phrase per line that means the brand, besides the "
                               "site's name and the product names and lines: a post naming one "
                               "speaks of the brand."))
    brand_slogans = models.TextField(
        gettext_lazy("brand slogans"), blank=True,
        help_text=gettext_lazy("One per line, besides the tagline: a post quoting one back, next "
                               "to negative words, reads as sarcastic."))
    widget_origins = models.TextField(
        gettext_lazy("shop origins for the widget"), blank=True, validators=[validate_origins],
        help_text=gettext_lazy("One a line, as scheme://host[:port], e.g. "
                               "https://shop.example.com: the shop pages that may show the Q&A "
                               "widget (framed and fetched from nowhere else)."))

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

    def widget_origin_list(self) -> list[str]:
        return listed(self.widget_origins)

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
        SPAM = "spam", gettext_lazy("Spam")
        ABUSE = "abuse", gettext_lazy("Abusive or harmful")
        OFF_TOPIC = "off_topic", gettext_lazy("Off-topic")
        OTHER = "other", gettext_lazy("Something else")

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Waiting for review")
        AGREED = "agreed", gettext_lazy("A host agreed")
        DECLINED = "declined", gettext_lazy("A host kept the post")
        DEFERRED = "deferred", gettext_lazy("Deferred (not reviewed in time)")

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
        AUTO_HIDE = "auto_hide", gettext_lazy("Hidden by flags")
        HOLD = "hold", gettext_lazy("Held for review")
        APPROVE = "approve", gettext_lazy("Approved")
        HIDE = "hide", gettext_lazy("Hidden")
        DELETE = "delete", gettext_lazy("Deleted")
        EDIT = "edit", gettext_lazy("Edited by staff")
        SUSPEND = "suspend", gettext_lazy("Suspended")
        UNSUSPEND = "unsuspend", gettext_lazy("Suspension lifted")
        DEFER = "defer", gettext_lazy("Flags deferred")
        PIN = "pin", gettext_lazy("Pinned")
        UNPIN = "unpin", gettext_lazy("Unpinned")
        LOCK = "lock", gettext_lazy("Locked")
        UNLOCK = "unlock", gettext_lazy("Unlocked")
        CLOSE = "close", gettext_lazy("Closed")
        REOPEN = "reopen", gettext_lazy("Reopened")
        MOVE = "move", gettext_lazy("Moved")
        MERGE = "merge", gettext_lazy("Merged")
        RETAG = "retag", gettext_lazy("Tags changed")
        FEATURE = "feature", gettext_lazy("Featured")
        UNFEATURE = "unfeature", gettext_lazy("Unfeatured")
        WELCOME = "welcome", gettext_lazy("Welcomed")
        INTRODUCE = "introduce", gettext_lazy("Introduced")
        PROMOTE = "promote", gettext_lazy("Given full rights")

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
