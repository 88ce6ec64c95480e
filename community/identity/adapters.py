from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from community.identity import lookalikes
from community.prepared import statement


class StandingMixin:
    """The signed-in member is read with their ``standing`` (suspension in force, unread
    notices) in one query: every page shows both.

    It is the one query every member's page runs, and building its SQL through the ORM
    cost more than running it (a hundred columns and two subqueries, compiled anew on
    every request), so its SQL is built once per process and prepared once per connection
    (``community.prepared``)."""

    def get_user(self, user_id):
        from community.models import User

        # user_id is already the pk's type (django.contrib.auth.get_user converted it).
        sql, params = statement(_member, _MEMBER, values={_MEMBER: user_id})
        user = next(iter(User.objects.raw(sql, params)), None)
        return user if user is not None and self.user_can_authenticate(user) else None


_MEMBER = -(2**31) + 7  # the stand-in for the member's id (community.prepared)


def _member(pk):
    from community.models import User
    from community.models.users import standing_annotations

    return User.objects.annotate(**standing_annotations()).filter(pk=pk).order_by()


class MemberModelBackend(StandingMixin, ModelBackend):
    """Django's username and password sign-in (the admin, tests)."""


class MemberAuthenticationBackend(StandingMixin, AuthenticationBackend):
    """allauth's email sign-in (the site's own forms)."""


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return True

    def clean_username(self, username, shallow=False):
        """Reserved handles ("former_member", "admin", the site's name…) and look-alikes of
        a host's handle are refused, whatever their case, accents or look-alike letters."""
        username = super().clean_username(username, shallow=shallow)
        if problem := lookalikes.handle_problem(username):
            raise ValidationError(problem, code="username_reserved")
        return username

    def pre_authenticate(self, request, **credentials):
        """Failed sign-ins are limited per account and per address (settings); each time
        the limit refuses one, the audit trail says so."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            from community.host import audit

            audit.record("rate_limited", request=request,
                         identifier=str(credentials.get("email") or credentials.get(
                             "username") or ""), detail="failed sign-ins")
            raise

    def confirm_email(self, request, email_address):
        """Confirming the address a member signed up with signs them in, in whichever
        browser they open the link (allauth's ``ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION`` only
        does so in the session that signed up), and the confirmation lands on the welcome.

        Only the first confirmation of the sign-up address does, by POST: the link's key
        is signed and names one unverified address (allauth refuses an expired, forged or
        used key before this is called: a used key names a verified address); the address
        must be the member's only one, and the member must never have signed in (an address
        added later, an email change, is confirmed without signing anyone in)."""
        from allauth.account.models import EmailAddress

        user = email_address.user
        first = (
            request.method == "POST"
            and not email_address.verified
            and user.last_login is None
            and not EmailAddress.objects.filter(user_id=user.pk).exclude(
                pk=email_address.pk).exists()
            and (user.email or "").lower() == email_address.email.lower()
        )
        confirmed = super().confirm_email(request, email_address)
        if confirmed and first and self._may_sign_in(request, user):
            self.login(request, user)
            request.signed_in_by_confirmation = True
        return confirmed

    def _may_sign_in(self, request, user) -> bool:
        """Nobody is signed in in this browser (opening the link signed out anyone else),
        and the account may sign in at all (not an unclaimed import, not the former-member
        account, not deactivated)."""
        return (not request.user.is_authenticated and user.is_active
                and not user.is_unclaimed and not user.is_former_member)

    def get_email_verification_redirect_url(self, email_address):
        if getattr(self.request, "signed_in_by_confirmation", False):
            from django.urls import reverse

            return reverse("welcome")
        return super().get_email_verification_redirect_url(email_address)

    def pre_login(self, request, user, **kwargs):
        # Imported accounts stay closed until claimed through a verified email.
        if user.is_unclaimed or user.is_former_member:
            return self.respond_user_inactive(request, user)
        return super().pre_login(request, user, **kwargs)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return True

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = (data.get("name") or "").strip() or " ".join(
            filter(None, [data.get("first_name"), data.get("last_name")]))
        # A provider's name that would pass for the host team's is left out (the handle
        # shows instead); the member can pick another one on their profile.
        if name and not user.display_name and not lookalikes.display_name_problem(name[:60]):
            user.display_name = name[:60]
        return user

    def can_authenticate_by_email(self, login, email):
        """A company's sign-in (SAML) with a verified address signs in the member who has
        verified that same address here, and links the two. A member whose address here
        is unverified is never signed in by it: whoever typed that address at sign-up may
        not own it (allauth's default would sign the company's person into that account).
        Other providers never match by address (``SOCIALACCOUNT_EMAIL_AUTHENTICATION``)."""
        from allauth.account.models import EmailAddress

        if not super().can_authenticate_by_email(login, email):
            return False
        return EmailAddress.objects.filter(email__iexact=email, verified=True).exists()

    def on_authentication_error(self, request, provider, error=None, exception=None,
                                extra_context=None):
        """A SAML response that python3-saml refuses (signature, audience, recipient,
        expiry...) lands on a page that says so, status 403."""
        super().on_authentication_error(request, provider, error=error, exception=exception,
                                        extra_context=extra_context)
        from community.identity import saml

        if saml.is_saml(provider) and error != "cancelled":
            from allauth.core.exceptions import ImmediateHttpResponse

            reason = (extra_context or {}).get("saml_last_error_reason") or str(
                exception or error or "")
            raise ImmediateHttpResponse(saml.refused(request, provider, reason=reason))
