"""Write the security audit trail (``AuditRecord``): who signed in, who failed to, who was
refused what, and which requests hit a rate limit. A record that cannot be written (the
database is down) never turns the request into an error."""
import ipaddress
import logging

from allauth.account.adapter import get_adapter
from allauth.account.signals import password_changed, user_logged_in, user_logged_out
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.dispatch import receiver

from community.models import AuditRecord

log = logging.getLogger(__name__)


def _ip(request) -> str | None:
    """The client's address as sign-in rate limits count it (allauth's, which believes
    ``X-Forwarded-For`` only as far as ``TRUSTED_PROXIES``), else the connection's."""
    if request is None:
        return None
    try:
        address = get_adapter(request).get_client_ip(request)
        ipaddress.ip_address(address)  # a header written by hand can hold anything
        return address
    except (PermissionDenied, ImproperlyConfigured, ValueError):
        return request.META.get("REMOTE_ADDR") or None


def record(kind: str, *, request=None, user=None, identifier: str = "",
           detail: str = "") -> None:
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        user = candidate if getattr(candidate, "is_authenticated", False) else None
    try:
        AuditRecord.objects.create(
            kind=kind, user=user, identifier=identifier[:150], ip=_ip(request),
            path=(request.path[:300] if request is not None else ""), detail=detail[:300])
    except Exception as error:  # noqa: BLE001  (the trail must not take the site down)
        log.error("audit record %s not written: %s", kind, error)


@receiver(user_logged_in, dispatch_uid="community.audit_login")
def _logged_in(sender, request, user, **kwargs):
    record(AuditRecord.Kind.LOGIN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="community.audit_logout")
def _logged_out(sender, request, user, **kwargs):
    record(AuditRecord.Kind.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="community.audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    typed = credentials.get("email") or credentials.get("username") or credentials.get(
        "login") or ""
    record(AuditRecord.Kind.LOGIN_FAILED, request=request, identifier=str(typed))


@receiver(password_changed, dispatch_uid="community.audit_password")
def _password_changed(sender, request, user, **kwargs):
    record(AuditRecord.Kind.PASSWORD_CHANGED, request=request, user=user)


class RateLimitAuditMiddleware:
    """Record every response that says "too many requests"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 429:
            record(AuditRecord.Kind.RATE_LIMITED, request=request)
        return response
