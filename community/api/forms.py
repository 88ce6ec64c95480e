"""The settings page's form for a new personal access token."""
from django import forms

from community.models import AccessToken

from . import tokens

EXPIRY = [("7", "7 days"), ("30", "30 days"), ("90", "90 days"), ("366", "A year")]


class TokenForm(forms.Form):
    name = forms.CharField(max_length=tokens.NAME_MAX, help_text="What is it for? "
                           "(\u201cHelp desk sync\u201d)", widget=forms.TextInput(
                               attrs={"autocomplete": "off"}))
    scopes = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text="Every token reads what you can read; choose what else it may do.")
    days = forms.TypedChoiceField(choices=EXPIRY, coerce=int, initial="30",
                                  label="Expires after")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = tokens.allowed_scopes(user)
        self.fields["scopes"].choices = [
            (value, label) for value, label in AccessToken.Scope.choices
            if value in allowed and value != AccessToken.Scope.READ]
