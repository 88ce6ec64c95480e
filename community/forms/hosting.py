"""The hosts' forms: the dashboard's period, flags and moderation, claim links and
welcomes."""
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from community.composer import ComposerTextarea
from community.models import Flag, Space, Tag, Thread

from .posting import BODY_MAX, tags_cleaned


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
        return tags_cleaned(self.cleaned_data.get("tags", ""))


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
