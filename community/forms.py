import time
import uuid

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.core import signing

from community.content import tags as tag_names
from community.content.images import ImageUploadField
from community.content.limits import BODY_MAX as BODY_LIMIT
from community.identity import lookalikes

from .models import Flag, Space, Thread, User
from .models.collections import DESCRIPTION_MAX, TITLE_MAX

GUARD_SALT = "community.form-guard"
BOT_MESSAGE = "We could not accept this form. Please reload the page and try again."


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
        required=False, label="Leave this field empty",
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
                    "That was quick! Check your text, then send it again.", code="too_fast")
        return data


class SignupForm(BotGuardMixin, AllauthSignupForm):
    """allauth's sign-up form plus the name members see."""

    timed = False
    display_name = forms.CharField(
        max_length=60, required=False, help_text="Shown with your posts. Optional."
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
        fields = ["display_name", "avatar", "bio", "location", "products", "interests"]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4, "maxlength": 500}),
        }
        help_texts = {
            "products": "Comma-separated, e.g. Trail 2 tent, Summit stove. We ask owners for help.",
            "interests": "Comma-separated topics you like to talk about.",
        }

    def clean_display_name(self):
        name = self.cleaned_data.get("display_name", "")
        if problem := lookalikes.display_name_problem(name, user=self.instance):
            raise forms.ValidationError(problem)
        return name

    def _clean_list(self, name):
        items = User.split_list(self.cleaned_data.get(name, ""))
        if len(items) > 20:
            raise forms.ValidationError("List at most 20 items.")
        return ", ".join(dict.fromkeys(items))

    def clean_products(self):
        return self._clean_list("products")

    def clean_interests(self):
        return self._clean_list("interests")


class AccountDeleteForm(forms.Form):
    class PostChoice:
        ANONYMISE = "anonymise"
        REMOVE = "remove"

    posts = forms.ChoiceField(
        label="What should happen to your posts?",
        choices=[
            (PostChoice.ANONYMISE, "Keep them, shown as written by a former member"),
            (PostChoice.REMOVE, "Remove their text (replies by others stay)"),
        ],
        widget=forms.RadioSelect,
        initial=PostChoice.ANONYMISE,
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Enter your password to confirm.",
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not right.")
        return password


class InviteForm(forms.Form):
    emails = forms.CharField(
        label="Friends' email addresses",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Separate addresses with commas or new lines; up to 10 at a time.",
    )
    message = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        label="A personal note (optional)",
    )

    def clean_emails(self):
        raw = self.cleaned_data["emails"].replace("\n", ",").replace(";", ",")
        items = [item.strip().lower() for item in raw.split(",") if item.strip()]
        if not items:
            raise forms.ValidationError("Enter at least one email address.")
        if len(items) > 10:
            raise forms.ValidationError("Invite at most 10 people at a time.")
        field = forms.EmailField()
        bad = []
        for item in items:
            try:
                field.clean(item)
            except forms.ValidationError:
                bad.append(item)
        if bad:
            raise forms.ValidationError(
                "These are not valid email addresses: %(bad)s", params={"bad": ", ".join(bad)}
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


class ThreadForm(BotGuardMixin, SubmissionNonceMixin, forms.Form):
    space = forms.ModelChoiceField(queryset=Space.objects.all(), empty_label=None)
    title = forms.CharField(
        min_length=8, max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"min_length": "Give it a title of at least 8 characters."},
    )
    body = forms.CharField(
        label="Details", max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown: **bold**, _italic_, `code`, [link](https://…), @handle to mention.",
    )
    tags = forms.CharField(
        required=False, max_length=200,
        help_text="Up to 5, separated by commas, e.g. yeast, lager.",
    )
    field_order = ["space", "title", "body", "tags", "nonce"]

    def __init__(self, *args, kind=Thread.Kind.DISCUSSION, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == Thread.Kind.QUESTION:
            self.fields["title"].label = "Your question"

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not any(ch.isalnum() for ch in title):
            raise forms.ValidationError("The title needs some words.")
        return title

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Write a few words.")
        return body

    def clean_tags(self):
        tags = User.split_list(self.cleaned_data.get("tags", ""))
        if len(tags) > 5:
            raise forms.ValidationError("Use at most 5 tags.")
        if refusal := tag_names.problems(tags):
            raise forms.ValidationError(refusal)
        return tags


class PostForm(BotGuardMixin, SubmissionNonceMixin, forms.Form):
    renders_once = True  # fixed fields: rendered once per shape ({% form_fields %})

    body = forms.CharField(
        label="Your reply", max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown and @mentions work here.",
        error_messages={"required": "Write something before posting."},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Write something before posting.")
        return body


class PostEditForm(forms.Form):
    body = forms.CharField(
        label="Text", max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "A post cannot be empty; delete it instead."},
    )

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("A post cannot be empty; delete it instead.")
        return body


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email_notifications", "digest", "accepts_routing"]
        help_texts = {
            "email_notifications": "Replies in threads you follow, answers, accepted answers "
                                   "and mentions. Likes only appear here and in the digest.",
            "digest": "A summary of what you have not read yet.",
            "accepts_routing": "At most a few a week, when a question matches what you know "
                               "or own.",
        }


class HealthPeriodForm(forms.Form):
    """The dashboard's period: the last N days, all time (from the first post), or two
    dates."""

    ALL_TIME = "all"
    DAYS = [("7", "Last 7 days"), ("30", "Last 30 days"), ("90", "Last 90 days"),
            ("365", "Last 12 months"), (ALL_TIME, "All time")]
    days = forms.ChoiceField(choices=DAYS, required=False, label="Period")
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        from community.host.dashboard import EARLIEST_DAY, LATEST_DAY, PERIOD_RANGE

        since, until = data.get("since"), data.get("until")
        if any(day and not EARLIEST_DAY <= day <= LATEST_DAY for day in (since, until)):
            raise forms.ValidationError(PERIOD_RANGE)
        if since and until and since > until:
            raise forms.ValidationError("The first day must not be after the last day.")
        return data

    def period(self):
        from django.utils import timezone

        from community.host.dashboard import Period

        today = timezone.now().date()
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("since") or data.get("until"):
            return Period(since=data.get("since"), until=data.get("until") or today)
        if data.get("days") == self.ALL_TIME:
            return Period.all_time(today=today)
        return Period.last_days(int(data.get("days") or 30), today=today)


class FlagForm(forms.Form):
    reason = forms.ChoiceField(choices=Flag.Reason.choices, widget=forms.RadioSelect,
                               label="What is wrong with this post?",
                               error_messages={"required": "Choose a reason."})
    note = forms.CharField(required=False, max_length=300, label="Tell the hosts more",
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="Needed for “Something else”.")

    def clean(self):
        data = super().clean()
        if data.get("reason") == "other" and not data.get("note", "").strip():
            self.add_error("note", "Tell the hosts what is wrong with this post.")
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False, label="Reason (shown to the author)")


class StaffEditForm(forms.Form):
    body = forms.CharField(max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 10}),
                           error_messages={"required": "A post cannot be empty; delete it "
                                                       "instead."})
    reason = forms.CharField(max_length=300, required=False,
                             label="Why (kept in the moderation log)")


class SuspendForm(forms.Form):
    DAYS = [(1, "1 day"), (3, "3 days"), (7, "1 week"), (30, "30 days"), (365, "1 year")]
    reason = forms.CharField(max_length=300, label="Reason (the member sees it)",
                             error_messages={"required": "Give the member a reason."})
    days = forms.TypedChoiceField(choices=DAYS, coerce=int, initial=7, label="For")


class CloseForm(forms.Form):
    reason = forms.CharField(max_length=200, label="Why is it closed? (readers see this)",
                             error_messages={"required": "Say why the thread is closed."})


class MoveForm(forms.Form):
    space = forms.ModelChoiceField(queryset=Space.objects.all(), empty_label=None,
                                   label="Move to")


class TagsForm(forms.Form):
    tags = forms.CharField(required=False, max_length=200, label="Tags",
                           help_text="Up to 5, separated by commas, e.g. yeast, lager.")

    def clean_tags(self):
        tags = User.split_list(self.cleaned_data.get("tags", ""))
        if len(tags) > 5:
            raise forms.ValidationError("Use at most 5 tags.")
        if refusal := tag_names.problems(tags):
            raise forms.ValidationError(refusal)
        return tags


class MergeForm(forms.Form):
    target = forms.CharField(
        max_length=300, label="Merge into (the other thread's address or number)",
        error_messages={"required": "Paste the address of the thread to merge into."})

    def clean_target(self):
        import re

        raw = self.cleaned_data["target"].strip()
        match = re.search(r"/t/(\d+)", raw) or re.fullmatch(r"#?(\d+)", raw)
        if not match:
            raise forms.ValidationError("That is not the address of a thread.")
        thread = Thread.objects.filter(pk=int(match.group(1)), is_deleted=False,
                                       merged_into__isnull=True).first()
        if thread is None:
            raise forms.ValidationError("There is no open thread at that address.")
        return thread


class ClaimLinkForm(forms.Form):
    email = forms.EmailField(label="Their email address",
                             help_text="The link goes there; that address becomes the "
                                       "account's, verified.")


class CollectionForm(forms.Form):
    """A collection's title, description and who sees it (checked again by
    ``content.limits.collection_check`` in the service)."""
    title = forms.CharField(max_length=TITLE_MAX, help_text=f"Up to {TITLE_MAX} characters.")
    description = forms.CharField(
        required=False, max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Optional: what ties it together, up to {DESCRIPTION_MAX} characters.")
    is_public = forms.TypedChoiceField(
        label="Who can see it", coerce=lambda value: value == "public", initial="public",
        choices=[("public", "Everyone (others can follow it)"), ("private", "Only me")],
        widget=forms.RadioSelect)


class CollectionAddForm(forms.Form):
    """Add a thread or post to one of the member's collections, or to a new one."""

    NEW = "new"
    collection = forms.ChoiceField(label="Collection")
    note = forms.CharField(required=False, max_length=280, label="Note (optional)",
                           help_text="Why it belongs here, shown with it.")

    def __init__(self, *args, collections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collection"].choices = [
            *((str(c.pk), f"{c.title}{' (already added)' if c.has_it else ''}")
              for c in collections),
            (self.NEW, "New collection…"),
        ]
