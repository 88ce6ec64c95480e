import functools

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError


class StandingMixin:
    """The signed-in member is read with their ``standing`` (suspension in force, unread
    notices) in one query: every page shows both.

    It is the one query every member's page runs, and building its SQL through the ORM
    cost more than running it (a hundred columns and two subqueries, compiled anew on
    every request), so the ORM compiles it once per process and each request runs that
    SQL with its own id."""

    def get_user(self, user_id):
        from community.models import User

        sql, params, slot = _member_query()
        params = list(params)
        params[slot] = user_id  # already the pk's type (django.contrib.auth.get_user)
        user = next(iter(User.objects.raw(sql, params)), None)
        return user if user is not None and self.user_can_authenticate(user) else None


@functools.cache
def _member_query() -> tuple[str, tuple, int]:
    """The SQL of one member with their standing, its parameters, and which of them is the
    member's id."""
    from community.models import User
    from community.models.users import standing_annotations

    marker = -(2**31) + 7  # an id no row has, to find its place among the parameters
    sql, params = (User.objects.annotate(**standing_annotations()).filter(pk=marker)
                   .order_by().query.sql_with_params())
    return sql, params, params.index(marker)


class MemberModelBackend(StandingMixin, ModelBackend):
    """Django's username and password sign-in (the admin, tests)."""


class MemberAuthenticationBackend(StandingMixin, AuthenticationBackend):
    """allauth's email sign-in (the site's own forms)."""


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

