"""What every member-facing form carries: a signed guard against bots and a nonce so the
same form posted twice creates one thing."""
import time
import uuid

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

GUARD_SALT = "community.form-guard"
BOT_MESSAGE = _("We could not accept this form. Please reload the page and try again.")


class BotGuardMixin(forms.Form):
    """A honeypot field people never see, and a signed time the form was shown.

    A form with the honeypot filled in, or sent back sooner than the community's minimum
    fill time, is refused with a message and the typed text kept. A form sent without its
    timestamp (a script that never loaded the page) is left to the honeypot and the rate
    limits. ``timed = False`` keeps the honeypot and drops the clock (sign-up: a password
    manager fills the whole form in well under the minimum, and allauth limits sign-ups
    per address already).
    """

    timed = True
    website = forms.CharField(
        required=False, label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["started"] = signing.dumps(time.time(), salt=GUARD_SALT)
        if self.is_bound:  # re-shown after an error: the clock starts again
            self.data = self.data.copy()
            self.data[self.add_prefix("started")] = self.initial["started"]
            self._started = (args[0] if args else kwargs.get("data", {})).get(
                self.add_prefix("started"), "")

    def clean(self):
        data = super().clean()
        from community.models import CommunitySettings

        if data.get("website"):
            raise forms.ValidationError(BOT_MESSAGE, code="honeypot")
        raw = getattr(self, "_started", "")
        if raw and self.timed:
            try:
                shown = float(signing.loads(raw, salt=GUARD_SALT, max_age=2 * 86400))
            except (signing.BadSignature, TypeError, ValueError):
                raise forms.ValidationError(BOT_MESSAGE, code="stale") from None
            if time.time() - shown < CommunitySettings.get().min_fill_seconds:
                raise forms.ValidationError(
                    _("That was quick! Check your text, then send it again."), code="too_fast")
        return data


class SubmissionNonceMixin(forms.Form):
    """A hidden, per-render token: the same form posted twice creates one thing."""

    nonce = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("nonce", uuid.uuid4().hex)
