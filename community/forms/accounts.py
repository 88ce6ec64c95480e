"""Forms about a member's account: signing up, the profile, deleting the account,
invitations and notice settings."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from community.content.images import ImageUploadField
from community.identity import lookalikes
from community.models import User

from .guards import BotGuardMixin


class SignupForm(BotGuardMixin, AllauthSignupForm):
    """allauth's sign-up form plus the name members see."""

    timed = False
    display_name = forms.CharField(label=_("Display name"),
        max_length=60, required=False, help_text=_("Shown with your posts. Optional.")
    )
    field_order = ["email", "username", "display_name", "password1", "password2"]

    def clean_display_name(self):
        name = self.cleaned_data.get("display_name", "")
        if problem := lookalikes.display_name_problem(name):
            raise forms.ValidationError(problem)
        return name

    def save(self, request):
        user = super().save(request)
        if self.cleaned_data.get("display_name"):
            user.display_name = self.cleaned_data["display_name"]
            user.save(update_fields=["display_name"])
        return user


class ProfileForm(forms.ModelForm):
    avatar = ImageUploadField(required=False, max_side=settings.AVATAR_SIZE)

    class Meta:
        model = User
        # The products a member owns are ``Ownership`` rows ("I own this" on a product's
        # page), no longer a free-text field here; the old text stays, shown to its owner.
        # ``language``: the site's language for this member ("" follows the browser).
        fields = ["display_name", "avatar", "bio", "location", "interests", "language"]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4, "maxlength": 500}),
        }
        help_texts = {
            "interests": _("Comma-separated topics you like to talk about."),
        }

    def clean_display_name(self):
        name = self.cleaned_data.get("display_name", "")
        if problem := lookalikes.display_name_problem(name, user=self.instance):
            raise forms.ValidationError(problem)
        return name

    def _clean_list(self, name):
        items = User.split_list(self.cleaned_data.get(name, ""))
        if len(items) > 20:
            raise forms.ValidationError(_("List at most 20 items."))
        return ", ".join(dict.fromkeys(items))

    def clean_interests(self):
        return self._clean_list("interests")


class AccountDeleteForm(forms.Form):
    class PostChoice:
        ANONYMISE = "anonymise"
        REMOVE = "remove"

    posts = forms.ChoiceField(
        label=_("What should happen to your posts?"),
        choices=[
            (PostChoice.ANONYMISE, _("Keep them, shown as written by a former member")),
            (PostChoice.REMOVE, _("Remove their text (replies by others stay)")),
        ],
        widget=forms.RadioSelect,
        initial=PostChoice.ANONYMISE,
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Enter your password to confirm."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not right."))
        return password


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("Friends' email addresses"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Separate addresses with commas or new lines; up to 10 at a time."),
    )
    message = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        label=_("A personal note (optional)"),
    )

    def clean_emails(self):
        raw = self.cleaned_data["emails"].replace("\n", ",").replace(";", ",")
        items = [item.strip().lower() for item in raw.split(",") if item.strip()]
        if not items:
            raise forms.ValidationError(_("Enter at least one email address."))
        if len(items) > 10:
            raise forms.ValidationError(_("Invite at most 10 people at a time."))
        field = forms.EmailField()
        bad = []
        for item in items:
            try:
                field.clean(item)
            except forms.ValidationError:
                bad.append(item)
        if bad:
            raise forms.ValidationError(
                _("These are not valid email addresses: %(bad)s"), params={"bad": ", ".join(bad)}
            )
        return list(dict.fromkeys(items))


class NoticePauseForm(forms.Form):
    """"Pause notifications" for a holiday: a day, a week, two weeks or until a date
    (``services.notice_levels.check_pause_until``: in the future, at most a year)."""

    LENGTHS = [("1d", _("1 day")), ("1w", _("1 week")), ("2w", _("2 weeks")),
               ("date", _("Until a date"))]
    length = forms.ChoiceField(label=_("Pause for"), choices=LENGTHS,
                               widget=forms.RadioSelect, initial="1w")
    until = forms.DateField(label=_("Last day of the pause"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}),
                            help_text=_("Notifications start again the day after."))

    def clean(self):
        from community.services.notice_levels import check_pause_until

        data = super().clean()
        if "length" in data:
            try:
                data["until_at"] = check_pause_until(choice=data["length"],
                                                     date=data.get("until"))
            except forms.ValidationError as error:
                self.add_error("until" if data["length"] == "date" else "length", error)
        return data


class NotificationSettingsForm(forms.ModelForm):
    """The member's notification settings: the three switches on ``User`` and, for each
    row of ``engine.notice_settings``, three boxes (``<row>_site``, ``<row>_email``,
    ``<row>_push``). Saved
    by ``services.users.notice_settings_save`` (``rows()`` and ``fields()``), not by
    ``save()``."""

    class Meta:
        model = User
        fields = ["email_notifications", "digest", "accepts_routing", "accepts_owner_asks",
                  "listening_digest"]
        labels = {"email_notifications": _("Send me notifications by email")}
        help_texts = {
            "email_notifications": _("Off: no notification emails at all, whatever the table "
                                   "below says. The digest is separate."),
            "digest": _("A summary of what you have not read yet."),
            "accepts_routing": _("At most a few a week, when a question matches what you know "
                               "or own. Off: nobody asks you, on the site or by email."),
            "listening_digest": _("For hosts, on Mondays: rising tags and products, questions "
                                "nobody answered, searches that found nothing, and members "
                                "whose tone changed."),
            "accepts_owner_asks": _("A shopper's question about a product you own comes to "
                                  "you before others (still at most a few a week). Off: "
                                  "owning it does not put you first."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from community import permissions
        from community.engine import notice_settings

        if not permissions.can_listen(self.instance):
            del self.fields["listening_digest"]  # the hosts' digest: hosts only
        current = notice_settings.choices_of(self.instance.notice_settings)
        self.table = []
        for row in notice_settings.rows():
            site = forms.BooleanField(required=False, initial=current[row.key]["site"],
                                      label=_("%(setting)s: on the site") % {"setting": row.label},
                                      disabled=row.site_fixed)
            email = forms.BooleanField(required=False, initial=current[row.key]["email"],
                                       label=_("%(setting)s: by email") % {"setting": row.label})
            push = forms.BooleanField(required=False, initial=current[row.key]["push"],
                                      label=_("%(setting)s: by push") % {"setting": row.label})
            self.fields[f"{row.key}_site"], self.fields[f"{row.key}_email"] = site, email
            self.fields[f"{row.key}_push"] = push
            self.table.append((row, self[f"{row.key}_site"], self[f"{row.key}_email"],
                               self[f"{row.key}_push"]))

    def switches(self):
        return [self[name] for name in self._meta.fields if name in self.fields]

    def rows(self) -> dict:
        from community.engine import notice_settings

        return {row.key: {where: self.cleaned_data[f"{row.key}_{where}"]
                          for where in notice_settings.CHANNELS}
                for row in notice_settings.rows()}

    def fields_chosen(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields
                if name in self.fields}
