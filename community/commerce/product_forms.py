"""The host's product forms: a product's fields, its main product by SKU, a photo."""
from django import forms
from django.utils.translation import gettext, gettext_lazy

from community.content import tags as tag_names
from community.forms import PhotoFieldsMixin
from community.models import Product, Space
from community.models.commerce import DESCRIPTION_MAX, NAME_MAX, SKU_MAX
from community.services.conversations import tags_by_slug

from . import catalogue


class ProductForm(forms.Form):
    """Add (``creating``) or edit a product. ``cleaned_data`` holds the service's keyword
    arguments: ``parent`` a product, ``tag`` a tag, ``space`` a space or None."""

    sku = forms.CharField(label=gettext_lazy("SKU"), max_length=SKU_MAX,
                          help_text=gettext_lazy("The shop's code for it; it cannot change later."))
    name = forms.CharField(max_length=NAME_MAX)
    line = forms.CharField(label=gettext_lazy("Brand line"), required=False,
                           max_length=catalogue.LINE_MAX,
                           help_text=gettext_lazy("The range it belongs to, e.g. Summit."))
    description = forms.CharField(required=False, max_length=DESCRIPTION_MAX,
                                  widget=forms.Textarea(attrs={"rows": 6}))
    shop_url = forms.CharField(label=gettext_lazy("Address on the shop"), required=False,
                               max_length=catalogue.URL_MAX,
                               widget=forms.URLInput(attrs={"placeholder": "https://"}))
    parent_sku = forms.CharField(
        label=gettext_lazy("Accessory of (SKU)"), required=False, max_length=SKU_MAX,
        help_text=gettext_lazy("For an accessory: the SKU of its main product. Empty for a main "
                               "product."))
    space = forms.ModelChoiceField(queryset=Space.objects.all(), required=False,
                                   empty_label=gettext_lazy("(none)"),
                                   help_text=gettext_lazy(
                                       "Where questions asked from its page go."))
    tag = forms.CharField(required=False, max_length=tag_names.MAX_LENGTH,
                          help_text=gettext_lazy("Questions with this tag are about the product."))
    is_active = forms.BooleanField(label=gettext_lazy("On sale"), required=False, initial=True)

    def __init__(self, *args, product: Product | None = None, **kwargs):
        if product is not None:
            kwargs.setdefault("initial", {
                "sku": product.sku, "name": product.name, "line": product.line,
                "description": product.description, "shop_url": product.shop_url,
                "parent_sku": product.parent.sku if product.parent_id else "",
                "space": product.space_id, "tag": product.tag.name if product.tag_id else "",
                "is_active": product.is_active})
        super().__init__(*args, **kwargs)
        self.product = product
        if product is not None:
            self.fields["sku"].disabled = True
            self.fields["sku"].help_text = gettext("The shop's code for it.")

    def clean_parent_sku(self):
        sku = self.cleaned_data["parent_sku"].strip()
        if not sku:
            return None
        parent = Product.objects.filter(sku=sku).first()
        if parent is None:
            raise forms.ValidationError(gettext("No product has the SKU %(sku)s.") % {"sku": sku})
        if reason := catalogue.family_check(self.product, parent):
            raise forms.ValidationError(reason)
        return parent

    def clean_tag(self):
        name = self.cleaned_data["tag"].strip()
        if not name:
            return None
        if refusal := tag_names.problems([name]):
            raise forms.ValidationError(refusal)
        return tags_by_slug([name]).get(tag_names.tag_name(name))

    def clean(self):
        data = super().clean()
        problems = catalogue.fields_check(
            sku=(data.get("sku") or "").strip(), name=(data.get("name") or "").strip(),
            line=(data.get("line") or "").strip(),
            description=(data.get("description") or "").strip(),
            shop_url=(data.get("shop_url") or "").strip())
        for name, message in problems.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in ("name", "line", "description", "shop_url",
                                                "space", "tag", "is_active")}
        fields["parent"] = data["parent_sku"]
        return fields


class ProductImageForm(PhotoFieldsMixin, forms.Form):
    """A photo of the product and its description (the post forms' photo fields)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].required = True
        self.fields["photo"].label = gettext("Photo")
        self.fields["photo"].help_text = (gettext("JPEG, PNG, GIF or WebP, at most 4 MB. It shows "
                                                  "after the product's other photos."))
