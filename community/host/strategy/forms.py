"""The hosts' forms for initiatives: one at a time, and the worksheet (several at once).

What an initiative may link to is read once per page (:class:`LinkOptions`) and shared by
every form of the worksheet, so a worksheet of twenty rows costs what one row costs.
"""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext, gettext_lazy

from community.forms import DAY_INPUT_FORMATS, DAY_INVALID, SiteDateInput
from community.host.dashboard import EARLIEST_DAY, LATEST_DAY, PERIOD_RANGE
from community.models import Initiative, Moment, Product, Thread
from community.models.strategy import STEP_SHORT, Step

from . import links

#: How many recent announcements and moments the lists offer.
RECENT = 100
NONE = ("", "Nothing")


class LinkOptions:
    """The announcements, moments, products and registered objects a host may link to (one
    query each, plus the threads and moments already linked by ``initiatives``)."""

    def __init__(self, initiatives=()):
        self.threads = {t.pk: t for t in Thread.objects.filter(
            kind=Thread.Kind.ANNOUNCEMENT, is_deleted=False).only("pk", "title")
            .order_by("-created_at", "-pk")[:RECENT]}
        self.moments = {m.pk: m for m in Moment.objects.only("pk", "title")
                        .order_by("-opens_at", "-pk")[:RECENT]}
        self.products = {p.pk: p for p in Product.objects.filter(is_active=True)
                         .only("pk", "name").order_by("name", "pk")}
        for initiative in initiatives:  # already linked: kept in the lists
            if initiative.thread_id and initiative.thread is not None:
                self.threads.setdefault(initiative.thread_id, initiative.thread)
            if initiative.moment_id and initiative.moment is not None:
                self.moments.setdefault(initiative.moment_id, initiative.moment)
            if initiative.product_id and initiative.product is not None:
                self.products.setdefault(initiative.product_id, initiative.product)
        self.links = links.grouped_choices()

    def choices(self, objects: dict, label) -> list:
        return [NONE, *((str(pk), label(o)) for pk, o in objects.items())]


def _version(initiative: Initiative) -> str:
    return initiative.updated_at.isoformat() if initiative.updated_at else ""


class InitiativeForm(forms.ModelForm):
    thread = forms.TypedChoiceField(label=gettext_lazy("Announcement or thread"), required=False,
                                    coerce=int, empty_value=None)
    moment = forms.TypedChoiceField(label=gettext_lazy("Moment"), required=False, coerce=int,
                                    empty_value=None)
    product = forms.TypedChoiceField(label=gettext_lazy("Product campaign"), required=False,
                                     coerce=int,
                                     empty_value=None)
    link = forms.ChoiceField(label=gettext_lazy("Project or partner offer"), required=False)
    # When the row was last saved, as the page showed it: a save over somebody else's newer
    # one is refused rather than undoing their change (a team fills the worksheet together).
    version = forms.CharField(required=False, widget=forms.HiddenInput)
    starts_on = forms.DateField(label=gettext_lazy("First day"), input_formats=DAY_INPUT_FORMATS,
                                error_messages={"invalid": DAY_INVALID},
                                widget=SiteDateInput(attrs={"autocomplete": "off", "size": 11}))
    ends_on = forms.DateField(label=gettext_lazy("Last day"), input_formats=DAY_INPUT_FORMATS,
                              error_messages={"invalid": DAY_INVALID},
                              widget=SiteDateInput(attrs={"autocomplete": "off", "size": 11}))

    class Meta:
        model = Initiative
        fields = ["name", "owner", "starts_on", "ends_on", "channel", "placed", "note"]
        labels = {"placed": gettext_lazy("Where you place it"), "owner": gettext_lazy("Owner")}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, options: LinkOptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        self.fields["placed"].choices = [(value, f"{value}. {label}")
                                         for value, label in Step.choices]
        self.fields["thread"].choices = options.choices(options.threads, lambda t: t.title)
        self.fields["moment"].choices = options.choices(options.moments, lambda m: m.title)
        self.fields["product"].choices = options.choices(options.products, lambda p: p.name)
        self.fields["link"].choices = [NONE, *options.links]
        instance = self.instance
        if instance.pk:
            self.initial["version"] = _version(instance)
            self.initial.update(thread=instance.thread_id, moment=instance.moment_id,
                                product=instance.product_id,
                                link=(f"{instance.link_kind}{links.SEPARATOR}{instance.link_id}"
                                      if instance.link_kind else ""))

    def clean(self):
        data = super().clean()
        shown = data.get("version") or ""
        if self.instance.pk and shown and shown != _version(self.instance):
            raise forms.ValidationError(
                gettext("Someone saved this initiative after you opened this page: open it again "
                        "to "
                "see their change, then make yours."), code="stale")
        for name in ("starts_on", "ends_on"):
            day = data.get(name)
            if day and not EARLIEST_DAY <= day <= LATEST_DAY:
                self.add_error(name, PERIOD_RANGE)
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", gettext("The last day comes on or after the first day."))
        return data

    def links_chosen(self) -> dict:
        """The chosen links as the service takes them (objects from the shared options)."""
        data = self.cleaned_data
        chosen = links.parse(data.get("link") or "")
        return {
            "thread": self.options.threads.get(data.get("thread")),
            "moment": self.options.moments.get(data.get("moment")),
            "product": self.options.products.get(data.get("product")),
            "link_kind": chosen[0] if chosen else "", "link_id": chosen[1] if chosen else None,
        }

    def fields_chosen(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in self.Meta.fields} | self.links_chosen()


class WorksheetForm(InitiativeForm):
    """A worksheet row: the same fields in a compact row (the note is left to the full
    form); a blank extra row is skipped."""

    class Meta(InitiativeForm.Meta):
        fields = ["name", "owner", "starts_on", "ends_on", "channel", "placed"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placed"].choices = [(value, f"{value}. {STEP_SHORT[value]}")
                                         for value, _ in Step.choices]
        for field in self.fields.values():  # the column's heading names it; no help line
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("aria-label", field.label)
            field.help_text = ""


class BaseWorksheetFormSet(forms.BaseModelFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), **self.form_kwargs}


WorksheetFormSet = forms.modelformset_factory(
    Initiative, form=WorksheetForm, formset=BaseWorksheetFormSet, extra=3, can_delete=False,
    max_num=200, absolute_max=200, validate_max=True)
