"""The admins' form for a new third-party app (the service checks it again)."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services

CLIENT_TYPES = [
    (services.CONFIDENTIAL, _("Confidential: a server that keeps a client secret")),
    (services.PUBLIC, _("Public: a phone, desktop or browser app, which cannot keep one")),
]


class AppForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=services.NAME_MAX,
                           help_text=_("Members see it on the consent page."))
    redirect_uris = forms.CharField(
        label=_("Redirect URIs"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, exactly as the app sends them: https://, or "
                    "http://127.0.0.1 or http://[::1] for an app on the member's computer."))
    client_type = forms.ChoiceField(label=_("Kind of app"), choices=CLIENT_TYPES,
                                    widget=forms.RadioSelect, initial=services.CONFIDENTIAL)

    def clean_redirect_uris(self):
        try:
            return "\n".join(services.check_redirect_uris(self.cleaned_data["redirect_uris"]))
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
