"""Django's admin behind the site's own sign-in.

The admin's login form checked passwords with none of the limits the site's sign-in has
(allauth's ``ACCOUNT_RATE_LIMITS``), so it was the one place to guess an admin's password
at leisure. Here ``/admin/login/`` processes no credentials: it sends people to the site's
sign-in, limits and all, and back. And the admin, where one request can change anyone's
account, asks for a recent sign-in: an admin whose last sign-in or password check in this
session is older than ``ADMIN_RECENT_AUTHENTICATION_MINUTES`` is asked for their password
again (allauth's reauthentication) before any admin page or action.
"""
import time
from functools import update_wrapper

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as BaseAdminConfig
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext


class AdminConfig(BaseAdminConfig):
    default_site = "community.identity.adminsite.AdminSite"


def last_authenticated_at(request) -> float | None:
    """When this session last proved who its member is (a sign-in or a password asked
    again), as allauth records it; None when it never did (a session made some other way)."""
    from allauth.account.internal.flows.login import get_authentication_records

    times = [record.get("at") for record in get_authentication_records(request, request.user)]
    times = [at for at in times if isinstance(at, int | float)]
    return max(times) if times else None


def authenticated_recently(request) -> bool:
    at = last_authenticated_at(request)
    window = settings.ADMIN_RECENT_AUTHENTICATION_MINUTES * 60
    return at is not None and time.time() - at < window


def _safe_next(request, url: str, fallback: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return fallback


class AdminSite(admin.AdminSite):
    def login(self, request, extra_context=None):
        """The site's sign-in (and its limits) instead of the admin's own form; whatever
        was posted here is not looked at."""
        index = reverse("admin:index", current_app=self.name)
        next_url = _safe_next(request, request.GET.get("next", ""), index)
        if request.user.is_authenticated:
            # Signed in already: the site's sign-in would send them straight back here.
            if not self.has_permission(request):
                raise PermissionDenied(gettext("The admin is only for the site's administrators."))
            return HttpResponseRedirect(next_url)
        return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")

    def admin_view(self, view, cacheable=False):
        """Every admin view (after Django's staff check) only for a recent sign-in; an
        older one is sent to confirm the password and comes back to the page it asked
        for (a form posted meanwhile is not acted on: it is shown again to be sent)."""
        def recently_signed_in(request, *args, **kwargs):
            if request.path != reverse("admin:logout", current_app=self.name) and (
                    not authenticated_recently(request)):
                back = request.get_full_path() if request.method in ("GET", "HEAD") else (
                    request.path)
                return HttpResponseRedirect(
                    f"{reverse('account_reauthenticate')}?{urlencode({'next': back})}")
            return view(request, *args, **kwargs)

        return super().admin_view(update_wrapper(recently_signed_in, view), cacheable)
