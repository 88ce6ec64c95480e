from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from community.composer import ComposerTextarea
from community.content.images import ImageUploadField
from community.forms import BODY_MAX, BotGuardMixin, SubmissionNonceMixin
from community.models import Space

from .models import Contribution, Need, Project, ProjectMember

MARKDOWN_HELP = gettext_lazy(
    "Markdown: **bold**, _italic_, [link](https://…), lists, @handle to mention.")
IMAGE_HELP = gettext_lazy("JPEG, PNG, GIF or WebP, at most 4 MB; resized and stripped of metadata.")
IMAGE_SIDE = 1600


def _words(value: str, message: str) -> str:
    value = " ".join(value.split())
    if not any(ch.isalnum() for ch in value):
        raise forms.ValidationError(message)
    return value


def _text(value: str, message: str) -> str:
    value = value.strip()
    if not value:
        raise forms.ValidationError(message)
    return value


class PurposeForm(forms.Form):
    statement = forms.CharField(
        max_length=280, label=gettext_lazy("Purpose statement"),
        error_messages={"required": gettext_lazy("Write the purpose in a sentence.")},
        help_text=gettext_lazy("One sentence: what the brand does with its customers, not what it "
                               "sells."),
    )
    story = forms.CharField(label=gettext_lazy("The story"), max_length=BODY_MAX,
                            help_text=MARKDOWN_HELP,
                            widget=ComposerTextarea(attrs={"rows": 12}, images=False),
                            error_messages={"required": gettext_lazy("Tell the story behind the "
                                                                     "purpose.")})
    note = forms.CharField(max_length=200, required=False, label=gettext_lazy("What changed "
            "(optional)"))

    def clean_statement(self):
        return _words(self.cleaned_data["statement"], gettext("Write the purpose in a sentence."))

    def clean_story(self):
        return _text(self.cleaned_data["story"], gettext("Tell the story behind the purpose."))


class ProjectForm(BotGuardMixin, SubmissionNonceMixin, forms.Form):
    title = forms.CharField(min_length=4, max_length=120,
                            widget=forms.TextInput(attrs={"autocomplete": "off"}),
                            error_messages={"required": gettext_lazy("Give the project a title.")})
    goal = forms.CharField(max_length=280,
                           help_text=gettext_lazy("What will exist when it is done?"),
                           error_messages={"required": gettext_lazy("Say what the project will "
                                                                    "achieve.")})
    description = forms.CharField(
        max_length=BODY_MAX, help_text=MARKDOWN_HELP,
        widget=ComposerTextarea(attrs={"rows": 8}, images=False),
        error_messages={"required": gettext_lazy("Describe the project in a few words.")})
    space = forms.ModelChoiceField(queryset=Space.objects.all(), required=False,
                                   label=gettext_lazy("Space for its discussions"),
                                   empty_label=gettext_lazy("Default"))
    cover = ImageUploadField(required=False, label=gettext_lazy("Cover image"),
                             help_text=IMAGE_HELP,
                             max_side=IMAGE_SIDE)
    field_order = ["title", "goal", "description", "space", "cover", "nonce"]

    def clean_title(self):
        return _words(self.cleaned_data["title"], gettext("The title needs some words."))

    def clean_goal(self):
        return _words(self.cleaned_data["goal"], gettext("Say what the project will achieve."))

    def clean_description(self):
        return _text(self.cleaned_data["description"],
                     gettext("Describe the project in a few words."))


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Project.Status.choices)
    note = forms.CharField(max_length=300, required=False)


class NeedForm(forms.Form):
    kind = forms.ChoiceField(choices=Need.Kind.choices, label=gettext_lazy("Kind"))
    name = forms.CharField(max_length=120, label=gettext_lazy("What is needed"),
                           error_messages={"required": gettext_lazy("Name what is needed.")})
    wanted = forms.IntegerField(min_value=1, max_value=10000, initial=1,
                                label=gettext_lazy("How many"))

    def clean_name(self):
        return _words(self.cleaned_data["name"], gettext("Name what is needed."))


class PledgeForm(forms.Form):
    quantity = forms.IntegerField(min_value=1, max_value=10000, initial=1,
                                  label=gettext_lazy("How many"))
    note = forms.CharField(max_length=200, required=False, label=gettext_lazy("Note (optional)"))


class UpdateForm(SubmissionNonceMixin, forms.Form):
    body = forms.CharField(label=gettext_lazy("Update"), max_length=BODY_MAX,
                           help_text=MARKDOWN_HELP,
                           widget=ComposerTextarea(attrs={"rows": 4}, images=False),
                           error_messages={"required": gettext_lazy("Write the update before "
                                                                    "posting it.")})

    def clean_body(self):
        return _text(self.cleaned_data["body"], gettext("Write the update before posting it."))


class DiscussionForm(BotGuardMixin, SubmissionNonceMixin, forms.Form):
    title = forms.CharField(min_length=8, max_length=200,
                            error_messages={"min_length": gettext_lazy("Give it a title of at "
                                    "least 8 "
                                                          "characters.")})
    body = forms.CharField(label=gettext_lazy("Details"), max_length=BODY_MAX,
                           help_text=MARKDOWN_HELP,
                           widget=ComposerTextarea(attrs={"rows": 6}))

    def clean_title(self):
        return _words(self.cleaned_data["title"], gettext("The title needs some words."))

    def clean_body(self):
        return _text(self.cleaned_data["body"], gettext("Write a few words."))


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=ProjectMember.Role.choices)


class VotingForm(forms.Form):
    closes_at = forms.DateTimeField(
        required=False, label=gettext_lazy("Voting closes"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                   format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=gettext_lazy("Leave empty to keep voting open."),
    )

    def clean_closes_at(self):
        value = self.cleaned_data.get("closes_at")
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(gettext("Choose a closing date in the future."))
        return value


class ContributionForm(BotGuardMixin, SubmissionNonceMixin, forms.Form):
    kind = forms.ChoiceField(choices=Contribution.Kind.choices, label=gettext_lazy("What are you "
            "sharing?"),
                             widget=forms.RadioSelect, initial=Contribution.Kind.IDEA)
    title = forms.CharField(min_length=4, max_length=120,
                            error_messages={"required": gettext_lazy("Give your contribution a "
                                                                     "title.")})
    body = forms.CharField(label=gettext_lazy("Description"), max_length=BODY_MAX, required=False,
                           help_text=MARKDOWN_HELP,
                           widget=ComposerTextarea(attrs={"rows": 8}, images=False))
    image = ImageUploadField(required=False, label=gettext_lazy("Design image"),
                             help_text=IMAGE_HELP,
                             max_side=IMAGE_SIDE)
    field_order = ["kind", "title", "body", "image", "nonce"]

    def __init__(self, *args, editing: Contribution | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing is not None:
            del self.fields["kind"]

    def clean_title(self):
        return _words(self.cleaned_data["title"], gettext("The title needs some words."))

    def clean(self):
        data = super().clean()
        kind = self.editing.kind if self.editing else data.get("kind")
        has_image = bool(data.get("image")) or bool(self.editing and self.editing.image)
        if kind == Contribution.Kind.DESIGN and not has_image and "image" not in self.errors:
            self.add_error("image", gettext("A design needs an image."))
        if kind in (Contribution.Kind.IDEA, Contribution.Kind.HOWTO) and not (
                data.get("body") or "").strip():
            self.add_error("body", gettext("Describe your idea.") if kind == Contribution.Kind.IDEA
                           else gettext("Write the how-to's steps."))
        return data

