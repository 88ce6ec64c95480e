"""The settings page's form for a new personal access token."""
from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import AccessToken

from . import tokens

EXPIRY = [("7", _("7 days")), ("30", _("30 days")), ("90", _("90 days")), ("366", _("A year"))]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=tokens.NAME_MAX,
        help_text=_("What is it for? (“Help desk sync”)"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}))
    scopes = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, required=False,
        label=_("Scopes"),
        help_text=_("Every token reads what you can read; choose what else it may do."))
    days = forms.TypedChoiceField(choices=EXPIRY, coerce=int, initial="30",
                                  label=_("Expires after"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = tokens.allowed_scopes(user)
        self.fields["scopes"].choices = [
            (value, label) for value, label in AccessToken.Scope.choices
            if value in allowed and value != AccessToken.Scope.READ]
