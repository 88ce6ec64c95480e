"""Forms that write posts: a new thread, an answer or reply, an edit, with photos."""

from django import forms
from django.utils.translation import gettext_lazy as _

from community.composer import ComposerTextarea
from community.content import tags as tag_names
from community.content.limits import BODY_MAX as BODY_LIMIT
from community.models import Product, Space, Thread, User

from .guards import BotGuardMixin, SubmissionNonceMixin

BODY_MAX = BODY_LIMIT  # one number for the forms and the content check
PHOTO_TYPES = "image/jpeg,image/png,image/gif,image/webp"
PHOTO_ALT_REQUIRED = _("Describe the photo in a few words (its alt text), for people who "
                       "cannot see it.")


def tags_cleaned(text: str) -> list[str]:
    """The tags typed in a form's "Tags" box (comma-separated), at most 5, each a name a tag
    may have; ``ValidationError`` with the sentence to show otherwise."""
    tags = User.split_list(text)
    if len(tags) > 5:
        raise forms.ValidationError(_("Use at most 5 tags."))
    if refusal := tag_names.problems(tags):
        raise forms.ValidationError(refusal)
    return tags


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
        return tags_cleaned(self.cleaned_data.get("tags", ""))


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
