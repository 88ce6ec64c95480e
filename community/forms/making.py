"""Forms for what members make: collections and the brand's moments."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from community.models import Space
from community.models.collections import DESCRIPTION_MAX, TITLE_MAX

from .posting import PHOTO_ALT_REQUIRED, PHOTO_TYPES, PhotoFieldsMixin


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


class LocalDateTimeInput(forms.DateTimeInput):
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

    from community.models.moments import BRIEF_MAX as _BRIEF_MAX
    from community.models.moments import TITLE_MAX as _TITLE_MAX

    title = forms.CharField(max_length=_TITLE_MAX, help_text=format_lazy(
                                _("Up to {max} characters, e.g. “Show us your brew day”."),
                                max=_TITLE_MAX))
    brief = forms.CharField(max_length=_BRIEF_MAX, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("What you are asking members for, in a line or two."))
    space = forms.ModelChoiceField(queryset=Space.objects.order_by("position", "name"),
                                   empty_label=None, help_text=_("Where its thread lives."))
    answer = forms.ChoiceField(label=_("Members answer with"), widget=forms.RadioSelect)
    opens_at = forms.DateTimeField(label=_("Opens"), widget=LocalDateTimeInput,
                                   input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    closes_at = forms.DateTimeField(label=_("Closes"), widget=LocalDateTimeInput,
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
        from community import moment_ties
        from community.models.moments import Moment
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
        from community.models.moments import CAPTION_MAX, STORY_MAX
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
