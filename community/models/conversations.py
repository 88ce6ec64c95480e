"""Spaces, tags, threads, posts and votes: where customers talk to each other."""
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .kinds import KindRegistry


class Space(models.Model):
    """A place for one product line or interest, with its own feed and followers."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=90, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # The language its conversations are written in: their search vectors and queries use
    # its text search configuration (``community.content.search.REGCONFIG``).
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    thread_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:90] or "space"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("space", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.SlugField(max_length=40, unique=True)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tag", kwargs={"name": self.name})


class TagSynonym(models.Model):
    """Staff-curated: a member typing ``name`` gets ``tag`` instead."""

    name = models.SlugField(max_length=40, unique=True)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="synonyms")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} → {self.tag}"


class Thread(models.Model):
    class Kind(models.TextChoices):
        DISCUSSION = "discussion", _("Discussion")
        QUESTION = "question", _("Question")
        ANNOUNCEMENT = "announcement", _("Announcement")

    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="threads")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DISCUSSION)
    title = models.CharField(max_length=200)
    # Threads are found by id; the slug only makes the address readable: no index.
    slug = models.SlugField(max_length=80, allow_unicode=False, db_index=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="threads"
    )
    author_is_staff = models.BooleanField(default=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="threads")
    product = models.ForeignKey(
        "community.Product", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="threads", help_text=_("A question asked about this product."))
    created_at = models.DateTimeField(db_index=True)
    last_activity_at = models.DateTimeField()
    opening_post = models.OneToOneField(
        "community.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_answer = models.OneToOneField(
        "community.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the accepted answer was accepted (imported: the "
                                           "day, as the dump gives it)."))
    post_count = models.PositiveIntegerField(
        default=0, help_text=_("Posts including the opening one.")
    )
    answer_count = models.PositiveIntegerField(default=0)
    like_count = models.PositiveIntegerField(default=0)
    view_count = models.PositiveIntegerField(default=0)
    is_locked = models.BooleanField(default=False)
    is_pinned = models.BooleanField(default=False)
    is_deleted = models.BooleanField(default=False)
    is_hidden = models.BooleanField(
        default=False, help_text=_("Its opening post waits for review: only its author and hosts "
                                   "see it."))
    is_featured = models.BooleanField(default=False)
    closed_reason = models.CharField(max_length=200, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Stored by the engagement engine; feeds order by it and never compute it per request.
    social_score = models.FloatField(default=0.0)
    # The counters behind social_score ("why is this here?"), stored by the engine.
    member_participants = models.PositiveIntegerField(default=0)
    member_replies = models.PositiveIntegerField(default=0)
    peer_answers = models.PositiveIntegerField(default=0)
    member_votes = models.PositiveIntegerField(default=0)
    staff_posts = models.PositiveIntegerField(default=0)
    scored_posts = models.PositiveIntegerField(default=0)
    search_body = models.TextField(blank=True, help_text=_("Plain text of the opening post."))
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-last_activity_at"]
        indexes = [
            # The Conversations order exactly (score, then latest activity): an index that
            # stops at the score makes PostgreSQL sort every thread on each home page view.
            models.Index(
                fields=["-social_score", "-last_activity_at", "-id"],
                condition=models.Q(is_deleted=False) & ~models.Q(kind="announcement"),
                name="thread_social_idx",
            ),
            models.Index(
                fields=["-last_activity_at", "-id"],
                condition=models.Q(is_deleted=False),
                name="thread_latest_idx",
            ),
            models.Index(
                fields=["space", "-last_activity_at", "-id"],
                condition=models.Q(is_deleted=False),
                name="thread_space_latest_idx",
            ),
            models.Index(
                fields=["space", "-social_score", "-last_activity_at", "-id"],
                condition=models.Q(is_deleted=False),
                name="thread_space_social_idx",
            ),
            models.Index(
                fields=["-created_at", "-id"],
                condition=models.Q(is_deleted=False, kind="question", answer_count=0),
                name="thread_unanswered_idx",
            ),
            models.Index(
                fields=["-last_activity_at", "-id"],
                condition=models.Q(is_deleted=False, accepted_answer__isnull=False),
                name="thread_solved_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("thread", kwargs={"pk": self.pk, "slug": self.slug or "-"})

    @property
    def is_question(self) -> bool:
        return self.kind == self.Kind.QUESTION

    @property
    def is_solved(self) -> bool:
        return self.accepted_answer_id is not None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Post(models.Model):
    """One message in a thread. ``position`` numbers a thread's posts 1, 2, 3... for paging."""

    class Kind(models.TextChoices):
        OPENING = "opening", _("Opening post")
        ANSWER = "answer", _("Answer")
        REPLY = "reply", _("Reply")

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        STAFF = "staff", _("Staff")
        PARTNER = "partner", _("Partner")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        HELD = "held", _("Waiting for approval")
        HIDDEN = "hidden", _("Hidden until reviewed")

    # Indexed by post_position_unique (thread, position) and post_author_idx (author,
    # -created_at): single-column indexes beside them only slow every write.
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts",
                               db_index=False)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts",
        db_index=False,
    )
    author_role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    position = models.PositiveIntegerField()
    body = models.TextField()
    body_html = models.TextField()
    render_version = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    like_count = models.PositiveIntegerField(default=0)
    helpful_count = models.PositiveIntegerField(default=0)
    # What the "most helpful" answer order reads (``community.engine.answer_order``): the
    # helpful votes cast on the thread's answers while this one was up (its own included),
    # and the lower bound on its share of them. Kept by the vote services and the importer.
    helpful_seen = models.PositiveIntegerField(default=0)
    helpful_score = models.FloatField(default=0.0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    body_format = models.CharField(
        max_length=8, default="markdown",
        help_text=_("markdown (written here) or html (imported, kept sanitised)."))
    held_reason = models.CharField(max_length=200, blank=True)
    staff_edited_at = models.DateTimeField(null=True, blank=True)
    # Title and tags of its thread and its own text (community.content.search_index), over
    # a GIN index made by migration (PostgreSQL only).
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["thread", "position"]
        constraints = [
            models.UniqueConstraint(fields=["thread", "position"], name="post_position_unique")
        ]
        indexes = [
            models.Index(fields=["author", "-created_at"], name="post_author_idx"),
            models.Index(fields=["thread", "kind", "created_at"], name="post_thread_kind_idx"),
            models.Index(fields=["created_at"], condition=~models.Q(status="published"),
                         name="post_review_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} in {self.thread_id}"

    def get_absolute_url(self):
        return reverse("post_permalink", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_staff_post(self) -> bool:
        return self.author_role == self.Role.STAFF


class SearchWord(models.Model):
    """A word of the indexed posts and how many posts held it when last counted: a query
    word found in none is corrected to the nearest (trigram index, made by migration)."""

    word = models.CharField(max_length=40, unique=True)
    ndoc = models.PositiveIntegerField(default=1)

    def __str__(self):
        return self.word


class PostRevision(models.Model):
    """The text a post had before an edit (staff can read the history)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Revision of post {self.post_id} at {self.created_at:%Y-%m-%d %H:%M}"


class Vote(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", _("Like")
        HELPFUL = "helpful", _("Helpful")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(  # indexed by vote_voter_idx (voter, post)
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="votes",
        db_index=False,
        help_text=_("Empty for imported anonymous votes."),
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "voter", "kind"],
                condition=models.Q(voter__isnull=False),
                name="one_vote_per_member",
            )
        ]
        indexes = [models.Index(fields=["voter", "post"], name="vote_voter_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} on post {self.post_id}"


class ThreadFollow(models.Model):
    """A member's notification level for one thread: the one record of what they are
    subscribed to (``engine.notice_levels``). Following a thread, or taking part in it,
    is Watching; Normal and Muted rows are the member's own choice, and win over the
    thread's space. No row: Normal, unless the space's level says otherwise."""

    class Level(models.TextChoices):
        WATCHING = "watching", _("Watching")
        NORMAL = "normal", _("Normal")
        MUTED = "muted", _("Muted")

    #: The levels that count as "following" the thread (its button, the thread's merge).
    FOLLOWING = (Level.WATCHING,)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_follows"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.WATCHING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="one_thread_follow")
        ]

    def __str__(self):
        return f"{self.user_id} follows thread {self.thread_id}"


class SpaceFollow(models.Model):
    """A member's notification level for a space (``engine.notice_levels``). Following a
    space is Watching first post (its new threads); Watching adds every post; Muted
    silences its threads but those the member set a level on. No row: Normal."""

    class Level(models.TextChoices):
        WATCHING = "watching", _("Watching")
        WATCHING_FIRST = "watching_first", _("Watching first post")
        NORMAL = "normal", _("Normal")
        MUTED = "muted", _("Muted")

    #: The levels that count as "following" the space (its button, the home page's "For
    #: you", the welcome's ticks).
    FOLLOWING = (Level.WATCHING, Level.WATCHING_FIRST)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_follows"
    )
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="follows")
    level = models.CharField(max_length=14, choices=Level.choices,
                             default=Level.WATCHING_FIRST)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "space"], name="one_space_follow")]

    def __str__(self):
        return f"{self.user_id} follows space {self.space_id}"


def notice_kind_choices() -> list[tuple[str, str]]:
    """Every registered notification kind (``Notification.kind``'s ``choices``)."""
    return NOTICE_KINDS.choices()


class TagFollow(models.Model):
    """A member follows a tag: its threads come first on their home page ("For you")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tag_follows"
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tag"], name="one_tag_follow")]

    def __str__(self):
        return f"{self.user_id} follows tag {self.tag_id}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", _("New reply in a thread you follow")
        ANSWER = "answer", _("New answer to your question")
        ACCEPTED = "accepted", _("Your answer was accepted")
        MENTION = "mention", _("You were mentioned")
        LIKE = "like", _("Someone liked your post")
        HELPFUL = "helpful", _("Someone found your answer helpful")
        ROUTED = "routed", _("Can you help a fellow customer?")
        NEW_THREAD = "new_thread", _("New thread in a space you follow")
        FLAG_OUTCOME = "flagged", _("A host reviewed a post you flagged")
        MODERATED = "moderated", _("A host acted on your post or account")
        WELCOME = "welcome", _("A host welcomed you")
        INTRODUCED = "introduced", _("A host introduced you to a question")
        COLLECTED = "collected", _("Your post was added to a collection")
        CURATED = "curated", _("New in a collection you follow")
        FEATURED = "featured", _("A host featured your moment entry")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # Community's kinds above; purpose's and partners' from their apps (``NOTICE_KINDS``).
    kind = models.CharField(max_length=10, choices=notice_kind_choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    thread = models.ForeignKey(Thread, null=True, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, null=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)
    pushed_at = models.DateTimeField(null=True, blank=True)  # handled by ``engine.push``
    # False: the member wants this kind by email only; the notice exists to be mailed, is
    # born read and never shows in the inbox or the bell.
    on_site = models.BooleanField(default=True)
    message = models.CharField(max_length=500, blank=True)
    url = models.CharField(
        max_length=300, blank=True,
        help_text=_("Where the notice leads when it is about no thread (a project page)."))

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One notice per person, kind, post and actor: redelivered events, a like
            # withdrawn and given again, an edit that repeats a mention notify once.
            models.UniqueConstraint(
                fields=["recipient", "kind", "post", "actor"], name="one_notice_per_cause"
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(emailed_at__isnull=True),
                name="notif_unemailed_idx",
            ),
            models.Index(
                fields=["created_at"],
                condition=models.Q(pushed_at__isnull=True),
                name="notif_unpushed_idx",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_idx"),
            models.Index(fields=["recipient", "thread", "kind"], name="notif_group_idx"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notif_unread_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.recipient_id}"


# The kinds a notice may have: community's here, each other app's from its ``ready()``
# (``community.engine.notifications.register_notices``).
NOTICE_KINDS = KindRegistry("notification kind", Notification.Kind)


class QuestionRoute(models.Model):
    """A member the routing engine asked to help with a question, and whether they answered."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="routes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_routes"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "member"], name="one_route_per_member")
        ]
        indexes = [models.Index(fields=["member", "-created_at"], name="route_member_idx")]

    def __str__(self):
        return f"Question {self.thread_id} routed to {self.member_id}"
