"""What a member is writing and has not sent yet: one draft per member per place.

A *place* names where the text will go: ``reply:<thread id>``, ``ask:question`` or
``ask:discussion`` (a new thread of that kind), ``edit:<post id>``, and the places other
apps register (``services.drafts.register_place``: project updates and contributions,
partner content). The composer saves the text as the member types (``services.drafts``);
the service that posts it discards it; drafts untouched for ``DRAFT_DAYS`` are deleted by a
beat task. A draft is its writer's only: no page anyone else
sees shows it, so saving one records no engagement event.
"""
from django.conf import settings
from django.db import models

DRAFT_DAYS = 30
PLACE_MAX = 40


class Draft(models.Model):
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="drafts")
    place = models.CharField(max_length=PLACE_MAX)
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "place"],
                                               name="one_draft_per_member_place")]

    def __str__(self):
        return f"{self.member_id} {self.place}"
