from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ValidationError


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return True

    def pre_authenticate(self, request, **credentials):
        """Failed sign-ins are limited per account and per address (settings); each time
        the limit refuses one, the audit trail says so."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            from community import audit

            audit.record("rate_limited", request=request,
                         identifier=str(credentials.get("email") or credentials.get(
                             "username") or ""), detail="failed sign-ins")
            raise

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
        name = " ".join(filter(None, [data.get("first_name"), data.get("last_name")]))
        if name and not user.display_name:
            user.display_name = name[:60]
        return user

