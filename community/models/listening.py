"""Listening: what each post says about the brand, and the searches that found nothing.

A :class:`PostSignal` is computed by the engagement worker from a post's text when the post
is written, edited or approved (``community.host.listening.signals``), never on a page
request: the post's tone (VADER's compound score), whether it speaks of the brand and how
(the mean score of the sentences that name it), whether it reads as sarcastic, and whether
it needs a human touch. A host answering it in person or setting it aside is kept here too
(``touch``), so a recomputation after an edit never puts a decided post back in the queue.

A :class:`SearchMiss` counts a search that found nothing by its normalised words and the
week (Monday) it was made in: no member, no session, no address is stored with it.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class PostSignal(models.Model):
    class Touch(models.TextChoices):
        NONE = "", gettext_lazy("Not in the queue")
        OPEN = "open", gettext_lazy("Waiting for a host")
        ANSWERED = "answered", gettext_lazy("Answered by a host")
        DISMISSED = "dismissed", gettext_lazy("Set aside by a host")

    post = models.OneToOneField("community.Post", primary_key=True, on_delete=models.CASCADE,
                                related_name="signal")
    # Copied from the post so that the map, the digest and the queue read one table.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+", db_index=False)
    thread = models.ForeignKey("community.Thread", on_delete=models.CASCADE, related_name="+",
                               db_index=False)
    written_at = models.DateTimeField(help_text=gettext_lazy("When the post was written."))
    by_member = models.BooleanField(default=True,
                                    help_text=gettext_lazy("Not written as a staff host."))
    sentiment = models.FloatField(
        help_text=gettext_lazy("VADER compound score of the post, -1 to 1."))
    brand_sentiment = models.FloatField(
        null=True, blank=True,
        help_text=gettext_lazy("Mean compound score of the sentences that name the brand "
                               "(empty: none)."))
    about_brand = models.BooleanField(default=False)
    sarcasm = models.BooleanField(default=False)
    # Why it needs a human touch, as codes (``listening.sentiment.REASONS`` says them).
    reasons = models.JSONField(default=list, blank=True)
    needs_touch = models.BooleanField(default=False)
    touch = models.CharField(max_length=10, choices=Touch.choices, default=Touch.NONE,
                             blank=True)
    touch_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    touch_at = models.DateTimeField(null=True, blank=True)
    analyser = models.PositiveSmallIntegerField(
        default=1, help_text=gettext_lazy("Version of the rules that computed it (a new one "
                                          "recomputes)."))
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["-written_at"], condition=models.Q(touch="open"),
                         name="signal_touch_open_idx"),
            models.Index(fields=["author", "written_at"], name="signal_author_idx"),
            models.Index(fields=["written_at"], name="signal_written_idx"),
        ]

    def __str__(self):
        return f"signal of post {self.post_id}"


class SearchMiss(models.Model):
    term = models.CharField(max_length=200, help_text=gettext_lazy(
        "The search's words, lower-cased, in the order typed."))
    week = models.DateField(help_text=gettext_lazy("Monday of the week the searches were made."))
    count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["week", "term"],
                                               name="one_search_miss_per_week")]

    def __str__(self):
        return f"{self.term} ({self.week}: {self.count})"
