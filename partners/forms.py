from django import forms
from django.utils.translation import gettext, gettext_lazy

from community.composer import ComposerTextarea
from community.content.images import ImageUploadField
from community.forms import BODY_MAX, BotGuardMixin, LocalDateTimeInput, SubmissionNonceMixin
from community.models import Space, User
from purpose.models import Project

from .models import PartnerPost
from .services import name_taken

LOGO_SIDE = 512


class OrganisationFields(forms.Form):
    description = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
                                  error_messages={"required": gettext_lazy("Tell members who you "
                                          "are.")})
    # Not "website": that name is the bot guard's honeypot.
    homepage = forms.URLField(required=False, assume_scheme="https", label=gettext_lazy("Website"))
    links = forms.CharField(required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=gettext_lazy("More links (shop, social, events), one "
                                                   "https:// "
                                      "address per line."))
    logo = ImageUploadField(required=False, max_side=LOGO_SIDE)

    def clean_description(self):
        value = self.cleaned_data["description"].strip()
        if not value:
            raise forms.ValidationError(gettext("Tell members who you are."))
        return value

    def clean_links(self):
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines()
                 if line.strip()]
        field = forms.URLField(assume_scheme="https")
        bad = []
        for line in lines:
            try:
                field.clean(line)
            except forms.ValidationError:
                bad.append(line)
            else:
                if not line.startswith(("https://", "http://")):
                    bad.append(line)
        if bad:
            raise forms.ValidationError(gettext("These are not web addresses: %(bad)s"),
                                        params={"bad": ", ".join(bad[:5])})
        return "\n".join(lines)


class ApplyForm(BotGuardMixin, OrganisationFields):
    name = forms.CharField(max_length=120, label=gettext_lazy("Organisation name"),
                           error_messages={
                               "required": gettext_lazy("Give the organisation's name.")})
    note = forms.CharField(required=False, max_length=2000, label=gettext_lazy("Why partner with "
            "us?"),
                           widget=forms.Textarea(attrs={"rows": 4}))
    field_order = ["name", "description", "homepage", "links", "logo", "note"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not any(ch.isalnum() for ch in name):
            raise forms.ValidationError(gettext("Give the organisation's name."))
        if name_taken(name):
            raise forms.ValidationError(gettext("An organisation with this name already exists."))
        return name


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("verify", gettext_lazy("Verify")), ("decline",
            gettext_lazy("Decline"))])
    reason = forms.CharField(required=False, max_length=500)


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Colleague's email address"),
                             error_messages={
                                 "invalid": gettext_lazy("Enter a valid email address.")})


class PublishForm(BotGuardMixin, SubmissionNonceMixin, forms.Form):
    kind = forms.ChoiceField(choices=PartnerPost.Kind.choices, label=gettext_lazy("What is it?"))
    space = forms.ModelChoiceField(queryset=Space.objects.all(), required=False,
                                   empty_label=gettext_lazy("Choose a space"))
    project = forms.ModelChoiceField(
        queryset=Project.objects.filter(status__in=Project.ACTIVE), required=False,
        empty_label=gettext_lazy("No project"), help_text=gettext_lazy("Or post it in a project: "
                "it appears there too."))
    title = forms.CharField(min_length=8, max_length=200, error_messages={
        "min_length": gettext_lazy("Give it a title of at least 8 characters."),
        "required": gettext_lazy("Give it a title.")})
    body = forms.CharField(label=gettext_lazy("Text"), max_length=BODY_MAX,
                           widget=ComposerTextarea(attrs={"rows": 10}),
                           help_text=gettext_lazy("Markdown: **bold**, _italic_, lists, "
                                                  "[link](https://…)."),
                           error_messages={"required": gettext_lazy("Write the text.")})
    coauthors = forms.CharField(
        required=False, max_length=300, label=gettext_lazy("Co-authors"),
        help_text=gettext_lazy("Members who made it with you, as @handles separated by commas. "
                               "Each is "
                  "asked; their name shows once they accept."))
    field_order = ["kind", "space", "project", "title", "body", "coauthors", "nonce"]

    def __init__(self, *args, author=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.author = author

    def clean_coauthors(self):
        from .services import coauthors_resolve

        handles = User.split_list(self.cleaned_data.get("coauthors", ""))
        if len(handles) > 10:
            raise forms.ValidationError(gettext("At most 10 co-authors."))
        return coauthors_resolve(handles, author=self.author)

    def clean(self):
        data = super().clean()
        if not data.get("space") and not data.get("project") and not self.errors.get("space"):
            self.add_error("space", gettext("Choose a space or a project."))
        return data



class OfferForm(forms.Form):
    """An offer on one product, named by its SKU (the catalogue can hold 100,000)."""

    sku = forms.CharField(label=gettext_lazy("Product SKU"), max_length=64,
                          help_text=gettext_lazy("The product's code in the shop, e.g. "
                                                 "PRO-KETTLE-30L."))
    title = forms.CharField(max_length=120)
    terms = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=gettext_lazy("What members get, and the fine print."))
    url = forms.URLField(label=gettext_lazy("Link"), max_length=500, assume_scheme="https",
                         help_text=gettext_lazy("The offer's page on your site (https://)."))
    starts_at = forms.DateTimeField(label=gettext_lazy("Starts"), widget=LocalDateTimeInput,
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    ends_at = forms.DateTimeField(label=gettext_lazy("Ends"), widget=LocalDateTimeInput,
                                  input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])

    def clean_sku(self):
        from community.models import Product

        product = Product.objects.filter(sku=self.cleaned_data["sku"].strip(),
                                         is_active=True).first()
        if product is None:
            raise forms.ValidationError(gettext("No product on sale has this SKU."))
        return product

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith("https://"):
            raise forms.ValidationError(gettext("An offer's link must start with https://."))
        return url

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data[
                "starts_at"]:
            self.add_error("ends_at", gettext("The offer must end after it starts."))
        return data


class OfferEditForm(OfferForm):
    """An offer's words, link and dates; its product stays (a new product is a new offer)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["sku"]
