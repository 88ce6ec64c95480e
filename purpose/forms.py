from django import forms
from django.utils import timezone

from community.composer import ComposerTextarea
from community.content.images import ImageUploadField
from community.forms import BODY_MAX, BotGuardMixin, SubmissionNonceMixin
from community.models import Space

from .models import Contribution, Need, Project, ProjectMember

MARKDOWN_HELP = "Markdown: **bold**, _italic_, [link](https://…), lists, @handle to mention."
IMAGE_HELP = "JPEG, PNG, GIF or WebP, at most 4 MB; resized and stripped of metadata."
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
        max_length=280, label="Purpose statement",
        error_messages={"required": "Write the purpose in a sentence."},
        help_text="One sentence: what the brand does with its customers, not what it sells.",
    )
    story = forms.CharField(label="The story", max_length=BODY_MAX, help_text=MARKDOWN_HELP,
                            widget=ComposerTextarea(attrs={"rows": 12}, images=False),
                            error_messages={"required": "Tell the story behind the purpose."})
    note = forms.CharField(max_length=200, required=False, label="What changed (optional)")

    def clean_statement(self):
        return _words(self.cleaned_data["statement"], "Write the purpose in a sentence.")

    def clean_story(self):
        return _text(self.cleaned_data["story"], "Tell the story behind the purpose.")


class ProjectForm(BotGuardMixin, SubmissionNonceMixin, forms.Form):
    title = forms.CharField(min_length=4, max_length=120,
                            widget=forms.TextInput(attrs={"autocomplete": "off"}),
                            error_messages={"required": "Give the project a title."})
    goal = forms.CharField(max_length=280, help_text="What will exist when it is done?",
                           error_messages={"required": "Say what the project will achieve."})
    description = forms.CharField(
        max_length=BODY_MAX, help_text=MARKDOWN_HELP,
        widget=ComposerTextarea(attrs={"rows": 8}, images=False),
        error_messages={"required": "Describe the project in a few words."})
    space = forms.ModelChoiceField(queryset=Space.objects.all(), required=False,
                                   label="Space for its discussions", empty_label="Default")
    cover = ImageUploadField(required=False, label="Cover image", help_text=IMAGE_HELP,
                             max_side=IMAGE_SIDE)
    field_order = ["title", "goal", "description", "space", "cover", "nonce"]

    def clean_title(self):
        return _words(self.cleaned_data["title"], "The title needs some words.")

    def clean_goal(self):
        return _words(self.cleaned_data["goal"], "Say what the project will achieve.")

    def clean_description(self):
        return _text(self.cleaned_data["description"], "Describe the project in a few words.")


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Project.Status.choices)
    note = forms.CharField(max_length=300, required=False)


class NeedForm(forms.Form):
    kind = forms.ChoiceField(choices=Need.Kind.choices, label="Kind")
    name = forms.CharField(max_length=120, label="What is needed",
                           error_messages={"required": "Name what is needed."})
    wanted = forms.IntegerField(min_value=1, max_value=10000, initial=1, label="How many")

    def clean_name(self):
        return _words(self.cleaned_data["name"], "Name what is needed.")


class PledgeForm(forms.Form):
    quantity = forms.IntegerField(min_value=1, max_value=10000, initial=1, label="How many")
    note = forms.CharField(max_length=200, required=False, label="Note (optional)")


class UpdateForm(SubmissionNonceMixin, forms.Form):
    body = forms.CharField(label="Update", max_length=BODY_MAX, help_text=MARKDOWN_HELP,
                           widget=ComposerTextarea(attrs={"rows": 4}, images=False),
                           error_messages={"required": "Write the update before posting it."})

    def clean_body(self):
        return _text(self.cleaned_data["body"], "Write the update before posting it.")


class DiscussionForm(BotGuardMixin, SubmissionNonceMixin, forms.Form):
    title = forms.CharField(min_length=8, max_length=200,
                            error_messages={"min_length": "Give it a title of at least 8 "
                                                          "characters."})
    body = forms.CharField(label="Details", max_length=BODY_MAX, help_text=MARKDOWN_HELP,
                           widget=ComposerTextarea(attrs={"rows": 6}))

    def clean_title(self):
        return _words(self.cleaned_data["title"], "The title needs some words.")

    def clean_body(self):
        return _text(self.cleaned_data["body"], "Write a few words.")


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=ProjectMember.Role.choices)


class VotingForm(forms.Form):
    closes_at = forms.DateTimeField(
        required=False, label="Voting closes",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                   format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text="Leave empty to keep voting open.",
    )

    def clean_closes_at(self):
        value = self.cleaned_data.get("closes_at")
        if value is not None and value <= timezone.now():
            raise forms.ValidationError("Choose a closing date in the future.")
        return value


class ContributionForm(BotGuardMixin, SubmissionNonceMixin, forms.Form):
    kind = forms.ChoiceField(choices=Contribution.Kind.choices, label="What are you sharing?",
                             widget=forms.RadioSelect, initial=Contribution.Kind.IDEA)
    title = forms.CharField(min_length=4, max_length=120,
                            error_messages={"required": "Give your contribution a title."})
    body = forms.CharField(label="Description", max_length=BODY_MAX, required=False,
                           help_text=MARKDOWN_HELP,
                           widget=ComposerTextarea(attrs={"rows": 8}, images=False))
    image = ImageUploadField(required=False, label="Design image", help_text=IMAGE_HELP,
                             max_side=IMAGE_SIDE)
    field_order = ["kind", "title", "body", "image", "nonce"]

    def __init__(self, *args, editing: Contribution | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing is not None:
            del self.fields["kind"]

    def clean_title(self):
        return _words(self.cleaned_data["title"], "The title needs some words.")

    def clean(self):
        data = super().clean()
        kind = self.editing.kind if self.editing else data.get("kind")
        has_image = bool(data.get("image")) or bool(self.editing and self.editing.image)
        if kind == Contribution.Kind.DESIGN and not has_image and "image" not in self.errors:
            self.add_error("image", "A design needs an image.")
        if kind in (Contribution.Kind.IDEA, Contribution.Kind.HOWTO) and not (
                data.get("body") or "").strip():
            self.add_error("body", "Describe your idea." if kind == Contribution.Kind.IDEA
                           else "Write the how-to's steps.")
        return data

