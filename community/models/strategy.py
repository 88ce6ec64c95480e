"""The brand's marketing initiatives, each placed by the hosts on the push-to-pull spectrum.

An :class:`Initiative` is what a marketing team ran (a launch mail, a brew-along, a partner's
offer): its name, who owns it, its days, its channel, where the hosts *placed* it on five
steps from push (a one-to-many message) to pull (members create and help each other), and
what it made in Gravity. Community objects are linked by key (an announcement or any
thread, a moment, a product); a purpose project or a partner offer, which community never
imports, by a registered *link kind* and an id (``community.host.strategy.links``), whose
owning app says which threads belong to it. Where an initiative really landed is measured
from what followed, never stored (``community.host.strategy.initiatives``).

Deleting sets ``deleted_at``: a host can undo it, and a deleted initiative is left out of
the chart, the worksheet and the CSV.
"""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy

NAME_MAX = 120
OWNER_MAX = 120
NOTE_MAX = 1000


class Step(models.IntegerChoices):
    """The push-to-pull spectrum, push first."""

    BROADCAST = 1, gettext_lazy("Broadcast: the brand speaks, members listen")
    RESPOND = 2, gettext_lazy("Respond: members answer the brand")
    CONVERSE = 3, gettext_lazy("Converse: members talk with the brand and each other")
    HELP = 4, gettext_lazy("Help each other: members answer members")
    CREATE = 5, gettext_lazy("Create: members make and lead")


STEP_SHORT = {1: "Broadcast", 2: "Respond", 3: "Converse", 4: "Help each other", 5: "Create"}


class Initiative(models.Model):
    class Channel(models.TextChoices):
        COMMUNITY = "community", gettext_lazy("The community")
        EMAIL = "email", gettext_lazy("Email")
        SOCIAL = "social", gettext_lazy("Social media")
        PAID = "paid", gettext_lazy("Paid advertising")
        EVENT = "event", gettext_lazy("Event or in store")
        PARTNER = "partner", gettext_lazy("Through a partner")
        OTHER = "other", gettext_lazy("Other")

    name = models.CharField(max_length=NAME_MAX)
    owner = models.CharField(max_length=OWNER_MAX, blank=True,
                             help_text=gettext_lazy("Who runs it: a person or a team."))
    starts_on = models.DateField()
    ends_on = models.DateField()
    channel = models.CharField(max_length=12, choices=Channel.choices,
                               default=Channel.COMMUNITY)
    placed = models.PositiveSmallIntegerField(choices=Step.choices, default=Step.CONVERSE)
    note = models.TextField(max_length=NOTE_MAX, blank=True)
    thread = models.ForeignKey("community.Thread", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    moment = models.ForeignKey("community.Moment", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    product = models.ForeignKey("community.Product", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    # A registered link kind (``links.register``) and the id of what it names.
    link_kind = models.CharField(max_length=20, blank=True)
    link_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="initiative_ends_after_start"),
            models.CheckConstraint(condition=models.Q(placed__gte=1, placed__lte=5),
                                   name="initiative_placed_on_the_spectrum"),
        ]
        indexes = [models.Index(fields=["-starts_on"], name="initiative_live_idx",
                                condition=models.Q(deleted_at__isnull=True))]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("initiative_edit", kwargs={"pk": self.pk})

    @property
    def placed_short(self) -> str:
        return STEP_SHORT[self.placed]
