import time
import uuid
from datetime import date

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.core import signing
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from community.composer import ComposerTextarea
from community.content import tags as tag_names
from community.content.images import ImageUploadField
from community.content.limits import BODY_MAX as BODY_LIMIT
from community.identity import lookalikes

from .models import Flag, Product, Space, Tag, Thread, User
from .models.collections import DESCRIPTION_MAX, TITLE_MAX

GUARD_SALT = "community.form-guard"
BOT_MESSAGE = _("We could not accept this form. Please reload the page and try again.")


class BotGuardMixin(forms.Form):
    """A honeypot field people never see, and a signed time the form was shown.

    A form with the honeypot filled in, or sent back sooner than the community's minimum
    fill time, is refused with a message and the typed text kept. A form sent without its
    timestamp (a script that never loaded the page) is left to the honeypot and the rate
    limits. ``timed = False`` keeps the honeypot and drops the clock (sign-up: a password
    manager fills the whole form in well under the minimum, and allauth limits sign-ups
    per address already).
    """

    timed = True
    website = forms.CharField(
        required=False, label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["started"] = signing.dumps(time.time(), salt=GUARD_SALT)
        if self.is_bound:  # re-shown after an error: the clock starts again
            self.data = self.data.copy()
            self.data[self.add_prefix("started")] = self.initial["started"]
            self._started = (args[0] if args else kwargs.get("data", {})).get(
                self.add_prefix("started"), "")

    def clean(self):
        data = super().clean()
        from .models import CommunitySettings

        if data.get("website"):
            raise forms.ValidationError(BOT_MESSAGE, code="honeypot")
        raw = getattr(self, "_started", "")
        if raw and self.timed:
            try:
                shown = float(signing.loads(raw, salt=GUARD_SALT, max_age=2 * 86400))
            except (signing.BadSignature, TypeError, ValueError):
                raise forms.ValidationError(BOT_MESSAGE, code="stale") from None
            if time.time() - shown < CommunitySettings.get().min_fill_seconds:
                raise forms.ValidationError(
                    _("That was quick! Check your text, then send it again."), code="too_fast")
        return data


class SignupForm(BotGuardMixin, AllauthSignupForm):
    """allauth's sign-up form plus the name members see."""

    timed = False
    display_name = forms.CharField(label=_("Display name"),
        max_length=60, required=False, help_text=_("Shown with your posts. Optional.")
    )
    field_order = ["email", "username", "display_name", "password1", "password2"]

    def clean_display_name(self):
        name = self.cleaned_data.get("display_name", "")
        if problem := lookalikes.display_name_problem(name):
            raise forms.ValidationError(problem)
        return name

    def save(self, request):
        user = super().save(request)
        if self.cleaned_data.get("display_name"):
            user.display_name = self.cleaned_data["display_name"]
            user.save(update_fields=["display_name"])
        return user


class ProfileForm(forms.ModelForm):
    avatar = ImageUploadField(required=False, max_side=settings.AVATAR_SIZE)

    class Meta:
        model = User
        # The products a member owns are ``Ownership`` rows ("I own this" on a product's
        # page), no longer a free-text field here; the old text stays, shown to its owner.
        # ``language``: the site's language for this member ("" follows the browser).
        fields = ["display_name", "avatar", "bio", "location", "interests", "language"]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4, "maxlength": 500}),
        }
        help_texts = {
            "interests": _("Comma-separated topics you like to talk about."),
        }

    def clean_display_name(self):
        name = self.cleaned_data.get("display_name", "")
        if problem := lookalikes.display_name_problem(name, user=self.instance):
            raise forms.ValidationError(problem)
        return name

    def _clean_list(self, name):
        items = User.split_list(self.cleaned_data.get(name, ""))
        if len(items) > 20:
            raise forms.ValidationError(_("List at most 20 items."))
        return ", ".join(dict.fromkeys(items))

    def clean_interests(self):
        return self._clean_list("interests")


class AccountDeleteForm(forms.Form):
    class PostChoice:
        ANONYMISE = "anonymise"
        REMOVE = "remove"

    posts = forms.ChoiceField(
        label=_("What should happen to your posts?"),
        choices=[
            (PostChoice.ANONYMISE, _("Keep them, shown as written by a former member")),
            (PostChoice.REMOVE, _("Remove their text (replies by others stay)")),
        ],
        widget=forms.RadioSelect,
        initial=PostChoice.ANONYMISE,
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Enter your password to confirm."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not right."))
        return password


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("Friends' email addresses"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Separate addresses with commas or new lines; up to 10 at a time."),
    )
    message = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        label=_("A personal note (optional)"),
    )

    def clean_emails(self):
        raw = self.cleaned_data["emails"].replace("\n", ",").replace(";", ",")
        items = [item.strip().lower() for item in raw.split(",") if item.strip()]
        if not items:
            raise forms.ValidationError(_("Enter at least one email address."))
        if len(items) > 10:
            raise forms.ValidationError(_("Invite at most 10 people at a time."))
        field = forms.EmailField()
        bad = []
        for item in items:
            try:
                field.clean(item)
            except forms.ValidationError:
                bad.append(item)
        if bad:
            raise forms.ValidationError(
                _("These are not valid email addresses: %(bad)s"), params={"bad": ", ".join(bad)}
            )
        return list(dict.fromkeys(items))


class SubmissionNonceMixin(forms.Form):
    """A hidden, per-render token: the same form posted twice creates one thing."""

    nonce = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("nonce", uuid.uuid4().hex)


BODY_MAX = BODY_LIMIT  # one number for the forms and the content check
PHOTO_TYPES = "image/jpeg,image/png,image/gif,image/webp"
PHOTO_ALT_REQUIRED = _("Describe the photo in a few words (its alt text), for people who "
                       "cannot see it.")


class PhotoFieldsMixin(forms.Form):
    """"Add a photo" without JavaScript: a file and its description, uploaded when the form
    is sent and put at the end of the text (``views.media.photo_into_body``). With a photo
    the text may be empty."""

    photo = forms.FileField(
        required=False, label=_("Add a photo"),
        help_text=_("JPEG, PNG, GIF or WebP, at most 4 MB. It goes at the end of your text."),
        widget=forms.FileInput(attrs={"accept": PHOTO_TYPES, "data-plain-photo": True}))
    photo_alt = forms.CharField(
        required=False, max_length=300, label=_("Describe the photo"),
        help_text=_("What it shows, for people who cannot see it (alt text). Needed with a "
                  "photo."), widget=forms.TextInput(attrs={"data-plain-photo": True}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "body" in self.fields and self.files.get(self.add_prefix("photo")):
            self.fields["body"].required = False

    def photo_sent(self) -> bool:
        return bool(self.files.get(self.add_prefix("photo")))

    def clean(self):
        data = super().clean()
        if data.get("photo") and not " ".join((data.get("photo_alt") or "").split()):
            self.add_error("photo_alt", PHOTO_ALT_REQUIRED)
        return data


class ThreadForm(BotGuardMixin, SubmissionNonceMixin, PhotoFieldsMixin, forms.Form):
    space = forms.ModelChoiceField(queryset=Space.objects.all(), empty_label=None,
                                   label=_("Space"))
    title = forms.CharField(label=_("Title"),
        min_length=8, max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"min_length": _("Give it a title of at least 8 characters.")},
    )
    body = forms.CharField(
        label=_("Details"), max_length=BODY_MAX, widget=ComposerTextarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, _italic_, `code`, [link](https://…), @handle to mention."),
    )
    tags = forms.CharField(label=_("Tags"),
        required=False, max_length=200,
        help_text=_("Up to 5, separated by commas, e.g. yeast, lager."),
    )
    # A question asked from a product's page names the product (by its address).
    product = forms.ModelChoiceField(
        queryset=Product.objects.all(), to_field_name="slug", required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("That product is not in the catalogue.")})
    field_order = ["space", "title", "body", "photo", "photo_alt", "tags", "nonce"]

    def __init__(self, *args, kind=Thread.Kind.DISCUSSION, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        # A product with its own space decides where the question goes: no space to pick.
        self.product_space = None
        if kind == Thread.Kind.QUESTION:
            self.fields["title"].label = _("Your question")
            if product := self._named_product():
                self.product_space = product.space
                del self.fields["space"]
        else:
            del self.fields["product"]

    def _named_product(self) -> Product | None:
        """The product (with a space) the question is about: the one sent, or the one the
        form was opened for."""
        if self.is_bound:
            slug = self.data.get(self.add_prefix("product"), "")
        else:
            slug = self.initial.get("product", "")
        if not isinstance(slug, str) or not slug:
            return None
        return (Product.objects.select_related("space").filter(slug=slug[:90])
                .exclude(space=None).first())

    def clean(self):
        data = super().clean()
        if self.product_space is not None:
            data["space"] = self.product_space
        return data

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not any(ch.isalnum() for ch in title):
            raise forms.ValidationError(_("The title needs some words."))
        return title

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body and not self.photo_sent():
            raise forms.ValidationError(_("Write a few words."))
        return body

    def clean_tags(self):
        tags = User.split_list(self.cleaned_data.get("tags", ""))
        if len(tags) > 5:
            raise forms.ValidationError(_("Use at most 5 tags."))
        if refusal := tag_names.problems(tags):
            raise forms.ValidationError(refusal)
        return tags


class PostForm(BotGuardMixin, SubmissionNonceMixin, PhotoFieldsMixin, forms.Form):
    renders_once = True  # fixed fields: rendered once per shape ({% form_fields %})

    body = forms.CharField(
        label=_("Your reply"), max_length=BODY_MAX, widget=ComposerTextarea(attrs={"rows": 5}),
        help_text=_("Markdown and @mentions work here."),
        error_messages={"required": _("Write something before posting.")},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    field_order = ["body", "photo", "photo_alt"]

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body and not self.photo_sent():
            raise forms.ValidationError(_("Write something before posting."))
        return body


class PostEditForm(PhotoFieldsMixin, forms.Form):
    body = forms.CharField(
        label=_("Text"), max_length=BODY_MAX, widget=ComposerTextarea(attrs={"rows": 8}),
        error_messages={"required": _("A post cannot be empty; delete it instead.")},
    )
    field_order = ["body", "photo", "photo_alt"]

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body and not self.photo_sent():
            raise forms.ValidationError(_("A post cannot be empty; delete it instead."))
        return body


class NoticePauseForm(forms.Form):
    """"Pause notifications" for a holiday: a day, a week, two weeks or until a date
    (``services.notice_levels.check_pause_until``: in the future, at most a year)."""

    LENGTHS = [("1d", _("1 day")), ("1w", _("1 week")), ("2w", _("2 weeks")),
               ("date", _("Until a date"))]
    length = forms.ChoiceField(label=_("Pause for"), choices=LENGTHS,
                               widget=forms.RadioSelect, initial="1w")
    until = forms.DateField(label=_("Last day of the pause"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}),
                            help_text=_("Notifications start again the day after."))

    def clean(self):
        from community.services.notice_levels import check_pause_until

        data = super().clean()
        if "length" in data:
            try:
                data["until_at"] = check_pause_until(choice=data["length"],
                                                     date=data.get("until"))
            except forms.ValidationError as error:
                self.add_error("until" if data["length"] == "date" else "length", error)
        return data


class NotificationSettingsForm(forms.ModelForm):
    """The member's notification settings: the three switches on ``User`` and, for each
    row of ``engine.notice_settings``, three boxes (``<row>_site``, ``<row>_email``,
    ``<row>_push``). Saved
    by ``services.users.notice_settings_save`` (``rows()`` and ``fields()``), not by
    ``save()``."""

    class Meta:
        model = User
        fields = ["email_notifications", "digest", "accepts_routing", "accepts_owner_asks",
                  "listening_digest"]
        labels = {"email_notifications": _("Send me notifications by email")}
        help_texts = {
            "email_notifications": _("Off: no notification emails at all, whatever the table "
                                   "below says. The digest is separate."),
            "digest": _("A summary of what you have not read yet."),
            "accepts_routing": _("At most a few a week, when a question matches what you know "
                               "or own. Off: nobody asks you, on the site or by email."),
            "listening_digest": _("For hosts, on Mondays: rising tags and products, questions "
                                "nobody answered, searches that found nothing, and members "
                                "whose tone changed."),
            "accepts_owner_asks": _("A shopper's question about a product you own comes to "
                                  "you before others (still at most a few a week). Off: "
                                  "owning it does not put you first."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from community import permissions
        from community.engine import notice_settings

        if not permissions.can_listen(self.instance):
            del self.fields["listening_digest"]  # the hosts' digest: hosts only
        current = notice_settings.choices_of(self.instance.notice_settings)
        self.table = []
        for row in notice_settings.rows():
            site = forms.BooleanField(required=False, initial=current[row.key]["site"],
                                      label=_("%(setting)s: on the site") % {"setting": row.label},
                                      disabled=row.site_fixed)
            email = forms.BooleanField(required=False, initial=current[row.key]["email"],
                                       label=_("%(setting)s: by email") % {"setting": row.label})
            push = forms.BooleanField(required=False, initial=current[row.key]["push"],
                                      label=_("%(setting)s: by push") % {"setting": row.label})
            self.fields[f"{row.key}_site"], self.fields[f"{row.key}_email"] = site, email
            self.fields[f"{row.key}_push"] = push
            self.table.append((row, self[f"{row.key}_site"], self[f"{row.key}_email"],
                               self[f"{row.key}_push"]))

    def switches(self):
        return [self[name] for name in self._meta.fields if name in self.fields]

    def rows(self) -> dict:
        from community.engine import notice_settings

        return {row.key: {where: self.cleaned_data[f"{row.key}_{where}"]
                          for where in notice_settings.CHANNELS}
                for row in notice_settings.rows()}

    def fields_chosen(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields
                if name in self.fields}


class SiteDateInput(forms.TextInput):
    """A day written as the site writes it (``DATE_FORMAT``: "1 Dec 2026"), typed the same
    way. A text box rather than ``type="date"``, which browsers show in their own order
    (mm/dd/yyyy in the United States) whatever the site writes beside it."""

    def format_value(self, value):
        from django.utils import formats

        if isinstance(value, date):
            return formats.date_format(value)
        return super().format_value(value)


#: What a period's days may be typed as: the site's "1 Dec 2026" (or "1 December 2026"), and
#: ISO "2026-12-01" (links, the CSV's file name, what ``type="date"`` inputs send).
DAY_INPUT_FORMATS = ("%Y-%m-%d", "%d %b %Y", "%d %B %Y")
DAY_INVALID = _("Write the day as 1 Dec 2026 or 2026-12-01.")


class HealthPeriodForm(forms.Form):
    """The dashboard's period: the last N days, all time (from the first post), or two
    dates ("custom"). Typed days win over the list, which then shows "Custom dates", so
    the list always names the period the page shows. Invalid: :meth:`period` is ``None``
    and each error stands next to its field, with what was typed kept."""

    ALL_TIME = "all"
    CUSTOM = "custom"
    DEFAULT_DAYS = "30"
    DAYS = [("7", _("Last 7 days")), ("30", _("Last 30 days")), ("90", _("Last 90 days")),
            ("365", _("Last 12 months")), (ALL_TIME, _("All time")), (CUSTOM, _("Custom dates"))]
    days = forms.ChoiceField(choices=DAYS, required=False, label=_("Period"),
                             error_messages={"invalid_choice": _("Choose a period from the "
                                                               "list.")})
    since = forms.DateField(required=False, label=_("First day"), input_formats=DAY_INPUT_FORMATS,
                            error_messages={"invalid": DAY_INVALID},
                            widget=SiteDateInput(attrs={"autocomplete": "off", "size": 11,
                                                        "aria-describedby": "period-days-hint"}))
    until = forms.DateField(required=False, label=_("Last day"), input_formats=DAY_INPUT_FORMATS,
                            error_messages={"invalid": DAY_INVALID},
                            widget=SiteDateInput(attrs={"autocomplete": "off", "size": 11,
                                                        "aria-describedby": "period-days-hint"}))

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()
            if data.get("since", "").strip() or data.get("until", "").strip():
                data["days"] = self.CUSTOM
            elif not data.get("days"):
                data["days"] = self.DEFAULT_DAYS
        super().__init__(data, *args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("days", self.DEFAULT_DAYS)

    def clean(self):
        data = super().clean()
        from django.utils import formats, timezone

        from community.host.dashboard import EARLIEST_DAY, LATEST_DAY, PERIOD_RANGE

        today = timezone.now().date()
        since, until = data.get("since"), data.get("until")
        for name, day in (("since", since), ("until", until)):
            if day and not EARLIEST_DAY <= day <= LATEST_DAY:
                self.add_error(name, PERIOD_RANGE)
        since, until = data.get("since"), data.get("until")
        if since and since > today:
            self.add_error("since", _("The first day is after today (%(today)s): there is "
                                      "nothing to show yet.")
                           % {"today": formats.date_format(today)})
        elif until and until > today:
            self.add_error("until", _("The last day can be today (%(today)s) at the latest.")
                           % {"today": formats.date_format(today)})
        if since and until and since > until:
            self.add_error("until", _("The first day must not be after the last day."))
        if (data.get("days") == self.CUSTOM and not since and not until
                and not self.has_error("since") and not self.has_error("until")):
            self.add_error("since", _("Type a first day, a last day, or both."))
        return data

    def full_clean(self):
        super().full_clean()
        if self.is_bound and not self._errors:
            # Valid days come back as the site writes them, whichever way they were typed.
            from django.utils import formats

            self.data = self.data.copy()
            for name in ("since", "until"):
                if self.cleaned_data.get(name):
                    self.data[name] = formats.date_format(self.cleaned_data[name])
        # Tie each error to its field for screen readers (the message sits beside them).
        for name, errors_id in (("days", "period-days-errors"), ("since", "period-dates-errors"),
                                ("until", "period-dates-errors")):
            if name in self._errors:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = " ".join(
                    filter(None, (attrs.get("aria-describedby"), errors_id)))

    @property
    def date_errors(self):
        """The errors of the two days, shown together beside them."""
        return [*self.errors.get("since", []), *self.errors.get("until", [])]

    def period(self):
        """The chosen period, ``None`` when the form is invalid (the page says why rather
        than show another period)."""
        from django.utils import timezone

        from community.host.dashboard import Period

        today = timezone.now().date()
        if not self.is_bound:
            return Period.last_days(int(self.DEFAULT_DAYS), today=today)
        if not self.is_valid():
            return None
        data = self.cleaned_data
        if data["days"] == self.CUSTOM:
            return Period(since=data.get("since"), until=data.get("until") or today)
        if data["days"] == self.ALL_TIME:
            return Period.all_time(today=today)
        return Period.last_days(int(data["days"]), today=today)

    def default_period(self):
        """The period of an empty form, for pages that list something whatever was asked."""
        return HealthPeriodForm().period()


class FlagForm(forms.Form):
    reason = forms.ChoiceField(choices=Flag.Reason.choices, widget=forms.RadioSelect,
                               label=_("What is wrong with this post?"),
                               error_messages={"required": _("Choose a reason.")})
    note = forms.CharField(required=False, max_length=300, label=_("Tell the hosts more"),
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Needed for “Something else”."))

    def clean(self):
        data = super().clean()
        if data.get("reason") == "other" and not data.get("note", "").strip():
            self.add_error("note", _("Tell the hosts what is wrong with this post."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False,
                             label=_("Reason (shown to the author)"))


class StaffEditForm(forms.Form):
    body = forms.CharField(max_length=BODY_MAX, widget=ComposerTextarea(attrs={"rows": 10}),
                           error_messages={"required": _("A post cannot be empty; delete it "
                                                       "instead.")})
    reason = forms.CharField(max_length=300, required=False,
                             label=_("Why (kept in the moderation log)"))


class SuspendForm(forms.Form):
    DAYS = [(1, "1 day"), (3, "3 days"), (7, "1 week"), (30, "30 days"), (365, "1 year")]
    reason = forms.CharField(max_length=300, label=_("Reason (the member sees it)"),
                             error_messages={"required": _("Give the member a reason.")})
    days = forms.TypedChoiceField(choices=DAYS, coerce=int, initial=7, label=_("For"))


class CloseForm(forms.Form):
    reason = forms.CharField(max_length=200, label=_("Why is it closed? (readers see this)"),
                             error_messages={"required": _("Say why the thread is closed.")})


class MoveForm(forms.Form):
    space = forms.ModelChoiceField(queryset=Space.objects.all(), empty_label=None,
                                   label=_("Move to"))


class TagsForm(forms.Form):
    tags = forms.CharField(required=False, max_length=200, label=_("Tags"),
                           help_text=_("Up to 5, separated by commas, e.g. yeast, lager."))

    def clean_tags(self):
        tags = User.split_list(self.cleaned_data.get("tags", ""))
        if len(tags) > 5:
            raise forms.ValidationError(_("Use at most 5 tags."))
        if refusal := tag_names.problems(tags):
            raise forms.ValidationError(refusal)
        return tags


class MergeForm(forms.Form):
    target = forms.CharField(
        max_length=300, label=_("Merge into (the other thread's address or number)"),
        error_messages={"required": _("Paste the address of the thread to merge into.")})

    def clean_target(self):
        import re

        raw = self.cleaned_data["target"].strip()
        match = re.search(r"/t/(\d+)", raw) or re.fullmatch(r"#?(\d+)", raw)
        if not match:
            raise forms.ValidationError(_("That is not the address of a thread."))
        thread = Thread.objects.filter(pk=int(match.group(1)), is_deleted=False,
                                       merged_into__isnull=True).first()
        if thread is None:
            raise forms.ValidationError(_("There is no open thread at that address."))
        return thread


class ClaimLinkForm(forms.Form):
    email = forms.EmailField(label=_("Their email address"),
                             help_text=_("The link goes there; that address becomes the "
                                       "account's, verified."))


class WelcomeForm(forms.Form):
    """The first-visit welcome: spaces and tags to follow, and a few words about yourself.
    ``tags`` offers only the tags the page shows (``selectors.feeds.welcome_choices``)."""

    spaces = forms.ModelMultipleChoiceField(
        queryset=Space.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Spaces to follow"),
        error_messages={"invalid_choice": _("That space no longer exists; pick another.")})
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Tags to follow"),
        error_messages={"invalid_choice": _("That tag is not offered here; pick another.")})
    bio = forms.CharField(
        label=_("Introduce yourself"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
        help_text=_("A line or two for your profile: what brings you here, what you would "
                  "like to learn. Optional."))

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].queryset = Tag.objects.filter(pk__in=[tag.pk for tag in tags])


class CollectionForm(forms.Form):
    """A collection's title, description and who sees it (checked again by
    ``content.limits.collection_check`` in the service)."""
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX,
                            help_text=format_lazy(_("Up to {max} characters."), max=TITLE_MAX))
    description = forms.CharField(label=_("Description"),
        required=False, max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=format_lazy(_("Optional: what ties it together, up to {max} characters."),
                              max=DESCRIPTION_MAX))
    is_public = forms.TypedChoiceField(
        label=_("Who can see it"), coerce=lambda value: value == "public", initial="public",
        choices=[("public", _("Everyone (others can follow it)")), ("private", _("Only me"))],
        widget=forms.RadioSelect)


class CollectionAddForm(forms.Form):
    """Add a thread or post to one of the member's collections, or to a new one."""

    NEW = "new"
    collection = forms.ChoiceField(label=_("Collection"))
    note = forms.CharField(required=False, max_length=280, label=_("Note (optional)"),
                           help_text=_("Why it belongs here, shown with it."))

    def __init__(self, *args, collections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collection"].choices = [
            *((str(c.pk), _("%(title)s (already added)") % {"title": c.title} if c.has_it
               else c.title) for c in collections),
            (self.NEW, _("New collection…")),
        ]


class _LocalDateTime(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            from django.utils import timezone
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


class MomentForm(forms.Form):
    """A moment: the prompt, its times and the kind of answer (checked again by
    ``content.limits.moment_check`` in the service)."""

    from .models.moments import BRIEF_MAX as _BRIEF_MAX
    from .models.moments import TITLE_MAX as _TITLE_MAX

    title = forms.CharField(max_length=_TITLE_MAX, help_text=format_lazy(
                                _("Up to {max} characters, e.g. “Show us your brew day”."),
                                max=_TITLE_MAX))
    brief = forms.CharField(max_length=_BRIEF_MAX, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("What you are asking members for, in a line or two."))
    space = forms.ModelChoiceField(queryset=Space.objects.order_by("position", "name"),
                                   empty_label=None, help_text=_("Where its thread lives."))
    answer = forms.ChoiceField(label=_("Members answer with"), widget=forms.RadioSelect)
    opens_at = forms.DateTimeField(label=_("Opens"), widget=_LocalDateTime,
                                   input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    closes_at = forms.DateTimeField(label=_("Closes"), widget=_LocalDateTime,
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    cover = forms.FileField(
        required=False, label=_("Cover photo (optional)"),
        help_text=_("JPEG, PNG, GIF or WebP, at most 4 MB."),
        widget=forms.FileInput(attrs={"accept": PHOTO_TYPES}))
    cover_alt = forms.CharField(required=False, max_length=300, label=_("Describe the cover"),
                                help_text=_("What it shows (alt text). Needed with a cover."))

    tie = forms.ChoiceField(
        required=False, label=_("Tie to a project or partner"),
        help_text=_("Its page says what it is part of, and the project's or partner's page "
                  "lists it."))

    def __init__(self, *args, editing=False, moment=None, **kwargs):
        super().__init__(*args, **kwargs)
        from . import moment_ties
        from .models.moments import Moment
        self.fields["answer"].choices = Moment.Answer.choices
        self.fields["answer"].initial = Moment.Answer.BOTH
        self.fields["tie"].choices = moment_ties.choices(moment)
        if editing:  # the thread and its cover stay where they are
            for name in ("space", "cover", "cover_alt"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The moment must close after it opens."))
        if data.get("cover") and not " ".join((data.get("cover_alt") or "").split()):
            self.add_error("cover_alt", PHOTO_ALT_REQUIRED)
        return data


class MomentEntryForm(PhotoFieldsMixin, forms.Form):
    """An answer to a moment: a photo with its description and a caption, or a story (the
    photo fields and their description check are the post forms' own)."""

    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}),
                           label=_("Caption or story"))
    field_order = ["photo", "photo_alt", "text"]

    def __init__(self, *args, moment, **kwargs):
        super().__init__(*args, **kwargs)
        from .models.moments import CAPTION_MAX, STORY_MAX
        self.moment = moment
        self.fields["photo"].label = _("Your photo")
        self.fields["photo"].help_text = _("JPEG, PNG, GIF or WebP, at most 4 MB.")
        if not moment.wants_photo:
            del self.fields["photo"], self.fields["photo_alt"]
            self.fields["text"].label = _("Your story")
            self.fields["text"].help_text = _("Up to %(max)d characters.") % {"max": STORY_MAX}
        elif not moment.wants_story:
            self.fields["text"].label = _("Caption (optional)")
            self.fields["text"].help_text = _("Up to %(max)d characters.") % {"max": CAPTION_MAX}
        else:
            self.fields["text"].help_text = _(
                "With a photo, a caption of up to %(caption)d characters; without one, a "
                "story of up to %(story)d.") % {"caption": CAPTION_MAX, "story": STORY_MAX}

