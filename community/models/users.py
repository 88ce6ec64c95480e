"""Members and their public profile."""
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

handle_validator = RegexValidator(
    r"^[A-Za-z0-9_]{3,30}$",
    "Use 3 to 30 letters, digits or underscores (this is your @handle).",
)


def avatar_path(instance, filename):
    # The name is made by the server; the uploaded name is never used.
    return f"avatars/{instance.pk or 'new'}/{filename}"


class User(AbstractUser):
    """A person in the community. Staff hosts have ``is_host``; admins are superusers.

    Trust level 0 is a *new member* (limits apply); members earn level 1 by taking part.
    Unclaimed accounts come from an import and cannot log in until claimed.
    """

    class Trust(models.IntegerChoices):
        NEW = 0, _("New member")
        MEMBER = 1, _("Member")

    username = models.CharField(
        _("handle"),
        max_length=30,
        unique=True,
        validators=[handle_validator],
        help_text=_("Your @handle: 3 to 30 letters, digits or underscores."),
        error_messages={"unique": "That handle is taken; please pick another."},
    )
    email = models.EmailField(_("email address"), unique=True, null=True, blank=True)
    display_name = models.CharField(max_length=60, blank=True)
    avatar = models.ImageField(upload_to=avatar_path, blank=True)
    bio = models.TextField(_("short bio"), max_length=500, blank=True)
    location = models.CharField(max_length=100, blank=True)
    products = models.CharField(
        _("products I own"), max_length=300, blank=True, help_text=_("Comma-separated.")
    )
    interests = models.CharField(max_length=300, blank=True, help_text=_("Comma-separated."))
    is_host = models.BooleanField(
        _("staff host"),
        default=False,
        help_text=_("Brand staff: hosts the community, moderates, posts with the brand badge."),
    )
    trust_level = models.PositiveSmallIntegerField(choices=Trust.choices, default=Trust.NEW)
    is_unclaimed = models.BooleanField(
        default=False, help_text=_("Imported account that nobody has claimed yet.")
    )
    is_former_member = models.BooleanField(
        default=False, help_text=_("The shared account that keeps posts of deleted accounts.")
    )
    invited_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="invitees"
    )
    invitation = models.ForeignKey(
        "community.Invitation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="joined_members",
    )
    imported_reputation = models.IntegerField(null=True, blank=True)
    # The language the member reads the site in; "" follows the browser (Accept-Language).
    language = models.CharField(
        _("language"), max_length=8, blank=True, choices=settings.LANGUAGES,
        help_text=_("Empty: the language your browser asks for."))

    class Digest(models.TextChoices):
        NONE = "none", _("No digest")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    email_notifications = models.BooleanField(
        _("email me about replies, answers and mentions"), default=True
    )
    digest = models.CharField(
        _("activity digest"), max_length=6, choices=Digest.choices, default=Digest.WEEKLY
    )
    accepts_routing = models.BooleanField(
        _("ask me to help with questions I might know"), default=True
    )
    listening_digest = models.BooleanField(
        _("email me the weekly \"what members care about\" digest"), default=True,
        help_text=_("Hosts only: sent on Mondays."))
    listening_digest_week = models.DateField(
        null=True, blank=True, help_text=_("Monday of the last week whose listening digest was "
                                           "sent to this host."))
    accepts_owner_asks = models.BooleanField(
        _("ask me first about products I own"), default=True,
        help_text=_("Off: a shopper's question about a product you own is not sent to you for "
                    "owning it."))
    # Per kind of notice, on the site and by email: ``{"answers": {"site": true, "email":
    # false}, ...}``, keyed by ``community.engine.notice_settings`` rows; a row the member
    # never saved keeps its default. Beside the member, not in a table of its own: fan-out
    # and the mailer already load the recipients, so obeying it costs no query.
    notice_settings = models.JSONField(default=dict, blank=True)
    class AnswerOrder(models.TextChoices):
        HELPFUL = "helpful", _("Most helpful")
        OLDEST = "oldest", _("Oldest first")
        NEWEST = "newest", _("Newest first")

    answer_order = models.CharField(
        _("order of answers on a question"), max_length=8, choices=AnswerOrder.choices,
        default=AnswerOrder.HELPFUL)
    last_digest_at = models.DateTimeField(null=True, blank=True)
    # "Pause notifications" (a holiday): until then no email, no digest and (later) no
    # push; notices still reach the inbox quietly. ``engine.notice_settings.is_snoozed``.
    notices_paused_until = models.DateTimeField(_("notifications paused until"), null=True,
                                                blank=True)
    welcomed_at = models.DateTimeField(null=True, blank=True)
    # The first-visit welcome (community/views/welcome.py): when the member finished or
    # skipped it; it is never offered again after that.
    onboarded_at = models.DateTimeField(_("welcome finished or skipped"), null=True, blank=True)

    # Stored by the engagement engine (community/engine/scoring.py); never computed per request.
    help_answers = models.PositiveIntegerField(default=0)
    help_accepted = models.PositiveIntegerField(default=0)
    help_helpful = models.PositiveIntegerField(default=0)
    help_invites = models.PositiveIntegerField(default=0)
    peer_help = models.FloatField(default=0.0, db_index=True)
    collaboration = models.FloatField(
        default=0.0, help_text=_("Projects joined, needs pledged, project votes cast."))
    contribution = models.FloatField(
        default=0.0, help_text=_("Contributions to projects, and the ones that won."))
    engagement = models.FloatField(default=0.0)
    scored_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["username"]
        indexes = [models.Index(fields=["-date_joined"], name="user_joined_idx")]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.username

    def get_absolute_url(self):
        return reverse("profile", kwargs={"username": self.username})

    @staticmethod
    def split_list(value: str) -> list[str]:
        return [item.strip() for item in value.split(",") if item.strip()]

    @property
    def product_list(self) -> list[str]:
        return self.split_list(self.products)

    @property
    def interest_list(self) -> list[str]:
        return self.split_list(self.interests)

    @cached_property
    def partner_roles(self) -> dict[int, tuple[bool, str]]:
        """``{organisation id: (is admin, organisation status)}`` (one query, cached per
        request: a member removed from an organisation loses it on their next request)."""
        if not self.pk:
            return {}
        return {org: (admin, status) for org, admin, status in
                self.partner_memberships.values_list("organisation_id", "is_admin",
                                                     "organisation__status")}

    @property
    def partner_organisation_ids(self) -> frozenset[int]:
        """Verified partner organisations this member belongs to."""
        return frozenset(org for org, (_, status) in self.partner_roles.items()
                         if status == "verified")

    @cached_property
    def standing(self) -> dict:
        """What every page asks about the signed-in member: ``suspension``, the id of the
        suspension in force or None, and ``unread``, the number of unread notices. Read
        with the member on every request (``community.identity.adapters.StandingMixin``), or in one
        query of its own, once per request."""
        if not self.pk:
            return {"suspension": None, "unread": 0}
        if "standing_unread" not in self.__dict__:
            self.__dict__.update(type(self).objects.filter(pk=self.pk).values(
                **standing_annotations()).get())
        return {"suspension": self.standing_suspension, "unread": self.standing_unread}

    @cached_property
    def active_suspension(self):
        """The suspension in force now, if any (read only for suspended members)."""
        pk = self.standing["suspension"]
        return self.suspensions.get(pk=pk) if pk else None


def standing_annotations() -> dict:
    """``User.standing`` as annotations of a query of users (see there)."""
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce, Now

    from .conversations import Notification
    from .moderation import Suspension

    in_force = (Suspension.objects.filter(user=OuterRef("pk"), lifted_at__isnull=True,
                                          ends_at__gt=Now())
                .order_by("-ends_at").values("pk")[:1])
    unread = (Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
              .order_by().values("recipient").annotate(n=Count("pk")).values("n"))
    return {"standing_suspension": Subquery(in_force),
            "standing_unread": Coalesce(Subquery(unread), 0)}
