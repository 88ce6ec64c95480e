"""The admins' endpoint form: the address (checked by the SSRF guard) and the events."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import WebhookEndpoint
from community.models.webhooks import DESCRIPTION_MAX, URL_MAX

from . import guard, payloads


class EndpointForm(forms.Form):
    url = forms.URLField(label=_("Address"), max_length=URL_MAX, assume_scheme="https",
                         help_text=_("Where each event is sent with a signed POST (https)."))
    description = forms.CharField(label=_("What it is for"), max_length=DESCRIPTION_MAX,
                                  required=False,
                                  help_text=_("For the admins: \"help desk\", \"CRM sync\"."))
    kinds = forms.MultipleChoiceField(label=_("Events"), widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": _("Choose at least one event.")})

    def __init__(self, *args, endpoint: WebhookEndpoint | None = None, **kwargs):
        if endpoint is not None and not args and "data" not in kwargs:
            kwargs["initial"] = {"url": endpoint.url, "description": endpoint.description,
                                 "kinds": endpoint.kinds}
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = payloads.subscribable()

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            guard.resolve(url)
        except guard.UnsafeAddress as refused:
            raise forms.ValidationError(str(refused), code="url") from refused
        return url
