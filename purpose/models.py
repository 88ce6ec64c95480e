"""The brand's shared purpose and the projects people build together.

The purpose statement is never edited in place: each save appends a :class:`PurposeRevision`
and the newest one is the page. A project moves through dated :class:`StatusChange` rows; its
people, needs and pledges, updates, linked threads and contributions with their votes hang
off it. Counters shown on lists (``member_count``, ``vote_count``...) are stored and bumped
with ``F()`` in the services, so the index never counts rows per project.
"""
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy


def _image_path(folder: str, filename: str) -> str:
    """Server-made names (the upload's own name is never used)."""
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"{folder}/{timezone.now():%Y/%m}/{secrets.token_hex(10)}.{ext}"


def cover_path(instance, filename):
    return _image_path("projects", filename)


def design_path(instance, filename):
    return _image_path("designs", filename)


class PurposeRevision(models.Model):
    """One saved version of the purpose page; the newest is shown."""

    statement = models.CharField(max_length=280)
    story = models.TextField(max_length=20000)
    story_html = models.TextField()
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]

    def __str__(self):
        return f"Purpose, {self.created_at:%Y-%m-%d %H:%M}"


class Project(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", gettext_lazy("Proposed")
        OPEN = "open", gettext_lazy("Open")
        BUILDING = "building", gettext_lazy("Building")
        DONE = "done", gettext_lazy("Done")
        ARCHIVED = "archived", gettext_lazy("Archived")

    # Where a project may go from each status (staff approve: proposed -> open).
    TRANSITIONS = {
        Status.PROPOSED: (Status.OPEN, Status.ARCHIVED),
        Status.OPEN: (Status.BUILDING, Status.DONE, Status.ARCHIVED),
        Status.BUILDING: (Status.OPEN, Status.DONE, Status.ARCHIVED),
        Status.DONE: (Status.BUILDING, Status.ARCHIVED),
        Status.ARCHIVED: (Status.OPEN,),
    }
    ACTIVE = (Status.OPEN, Status.BUILDING)

    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    goal = models.CharField(max_length=280)
    description = models.TextField(max_length=20000)
    description_html = models.TextField()
    cover = models.ImageField(upload_to=cover_path, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="proposed_projects")
    organisation = models.ForeignKey("partners.Organisation", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="projects")
    space = models.ForeignKey("community.Space", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="projects",
                              help_text=gettext_lazy(
                                  "Where the project's discussions are started."))
    voting_closes_at = models.DateTimeField(null=True, blank=True)
    member_count = models.PositiveIntegerField(default=0)
    contribution_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-last_activity_at", "-id"], name="project_status_act"),
            models.Index(fields=["-last_activity_at", "-id"], name="project_activity"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(self.title)[:120] or "project"
            slug, n = base, 1
            while Project.objects.filter(slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            self.slug = slug
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("purpose:project", kwargs={"slug": self.slug})

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def voting_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_active and (self.voting_closes_at is None or now < self.voting_closes_at)

    def voting_closed(self, now=None) -> bool:
        closes = self.voting_closes_at
        return closes is not None and (now or timezone.now()) >= closes


class StatusChange(models.Model):
    """A dated transition of a project's status (the first row: its proposal)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=Project.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Project.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                           related_name="+")
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.project}: {self.from_status or '-'} -> {self.to_status}"


class ProjectMember(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", gettext_lazy("Lead")
        CONTRIBUTOR = "contributor", gettext_lazy("Contributor")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="project_memberships")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.CONTRIBUTOR)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_project_membership")
        ]

    def __str__(self):
        return f"{self.user} in {self.project} ({self.role})"


class ProjectFollow(models.Model):
    """Who hears about a project's updates: its people, and whoever follows it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="project_follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_project_follow")
        ]

    def __str__(self):
        return f"{self.user} follows {self.project}"


class Need(models.Model):
    """Something the project wants: a skill, a tool or material, and how many."""

    class Kind(models.TextChoices):
        SKILL = "skill", gettext_lazy("Skill")
        TOOL = "tool", gettext_lazy("Tool")
        MATERIAL = "material", gettext_lazy("Material")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=120)
    wanted = models.PositiveIntegerField(default=1)
    pledged = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "name"], name="one_need_per_name")
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def missing(self) -> int:
        return max(self.wanted - self.pledged, 0)


class Pledge(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="pledges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="pledges")
    quantity = models.PositiveIntegerField(default=1)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["need", "user"], name="one_pledge")]

    def __str__(self):
        return f"{self.user}: {self.quantity} x {self.need}"


class ProjectUpdate(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    body = models.TextField(max_length=20000)
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Update on {self.project}, {self.created_at:%Y-%m-%d}"


class ProjectThread(models.Model):
    """A discussion in the conversation layer that belongs to a project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="thread_links")
    thread = models.ForeignKey("community.Thread", on_delete=models.CASCADE,
                               related_name="project_links")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "thread"], name="one_thread_link")
        ]

    def __str__(self):
        return f"{self.thread} in {self.project}"


class Contribution(models.Model):
    class Kind(models.TextChoices):
        IDEA = "idea", gettext_lazy("Idea")
        DESIGN = "design", gettext_lazy("Design")
        HOWTO = "howto", gettext_lazy("How-to")

    project = models.ForeignKey(Project, on_delete=models.CASCADE,
                                related_name="contributions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="contributions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=120)
    body = models.TextField(max_length=20000, blank=True)
    body_html = models.TextField(blank=True)
    image = models.ImageField(upload_to=design_path, blank=True)
    vote_count = models.PositiveIntegerField(default=0)
    is_winner = models.BooleanField(default=False)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-vote_count", "created_at", "id"]
        indexes = [
            models.Index(fields=["project", "-vote_count", "created_at"], name="contribution_rank"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("purpose:contribution", kwargs={"pk": self.pk})


class ContributionVote(models.Model):
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE,
                                     related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="contribution_votes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contribution", "voter"],
                                    name="one_contribution_vote")
        ]

    def __str__(self):
        return f"{self.voter} for {self.contribution}"


class ProjectMoment(models.Model):
    """A host's moment that is part of a project (``community.moment_ties``: the moment's
    page says so, the project's page lists it). A moment has one tie at most."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="moment_ties")
    moment = models.OneToOneField("community.Moment", on_delete=models.CASCADE,
                                  related_name="project_tie")
    tied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "-created_at"], name="project_moment_new")]

    def __str__(self):
        return f"moment {self.moment_id} in {self.project}"
