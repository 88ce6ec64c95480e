"""Third-party apps: the admins register and remove them; members authorise them (on the
consent page) and revoke them (on their settings page). Each write records its event in
the same transaction.

Redirect URIs (:func:`check_redirect_uris`): ``https://`` with a host, or, for a native
app on the member's own machine, ``http://127.0.0.1`` / ``http://[::1]`` (any port, RFC
8252); never a fragment, a wildcard or another scheme."""
from datetime import timedelta
from ipaddress import ip_address
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken as AppToken
from oauth2_provider.models import Application, Grant, RefreshToken
from oauth2_provider.settings import oauth2_settings

from community import permissions
from community.engine import events

from .server import capped

NAME_MAX = 80
URIS_MAX = 10
URI_MAX = 500
CONFIDENTIAL, PUBLIC = Application.CLIENT_CONFIDENTIAL, Application.CLIENT_PUBLIC


def check_redirect_uris(text: str) -> list[str]:
    """The redirect URIs in ``text`` (one per line or space), or ``ValidationError``."""
    uris = list(dict.fromkeys((text or "").split()))
    if not uris:
        raise ValidationError(_("Give at least one redirect URI."))
    if len(uris) > URIS_MAX:
        raise ValidationError(_("Give at most %(count)d redirect URIs.") % {"count": URIS_MAX})
    for uri in uris:
        if len(uri) > URI_MAX:
            raise ValidationError(_("A redirect URI has at most %(count)d characters.")
                                  % {"count": URI_MAX})
        try:
            parts = urlsplit(uri)
            parts.port  # noqa: B018  # a port that is not a number raises here
        except ValueError:
            raise ValidationError(_("“%(uri)s” is not a URI.") % {"uri": uri}) from None
        if parts.fragment or "#" in uri:
            raise ValidationError(_("“%(uri)s”: a redirect URI has no #fragment.")
                                  % {"uri": uri})
        if "*" in uri:
            raise ValidationError(_("“%(uri)s”: a redirect URI has no wildcard.")
                                  % {"uri": uri})
        if parts.scheme == "https" and parts.hostname:
            continue
        if parts.scheme == "http" and _loopback(parts.hostname):
            continue
        raise ValidationError(_(
            "“%(uri)s”: use https://, or http://127.0.0.1 or http://[::1] for an app on the "
            "member's own computer.") % {"uri": uri})
    return uris


def _loopback(host: str | None) -> bool:
    try:
        return bool(host) and ip_address(host).is_loopback
    except ValueError:
        return False


def app_register(*, admin, name: str, redirect_uris: str,
                 client_type: str) -> tuple[Application, str]:
    """A new app and, for a confidential one, its client secret (to show once: only its
    hash is kept); "" for a public app (a native or browser app, which keeps no secret)."""
    permissions.require(permissions.can_manage_apps(admin),
                        _("Third-party apps are for the site's admins."))
    name = " ".join((name or "").split())
    errors = {}
    if not name:
        errors["name"] = [_("Give the app a name: members see it when they authorise it.")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_("Use at most %(count)d characters.") % {"count": NAME_MAX}]
    try:
        uris = check_redirect_uris(redirect_uris)
    except ValidationError as error:
        errors["redirect_uris"] = error.messages
    if client_type not in (CONFIDENTIAL, PUBLIC):
        errors["client_type"] = [_("Choose confidential or public.")]
    if errors:
        raise ValidationError(errors)
    secret = generate_client_secret() if client_type == CONFIDENTIAL else ""
    with transaction.atomic():
        app = Application(name=name, client_type=client_type, redirect_uris=" ".join(uris),
                          authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
                          user=admin, skip_authorization=False, algorithm=Application.NO_ALGORITHM,
                          client_secret=secret)
        app.save()
        events.AppSaved.record(actor=admin, application=app.pk, action="registered")
    return app, secret


def app_remove(*, admin, app: Application) -> None:
    """Remove ``app``: every token it holds stops working at once."""
    permissions.require(permissions.can_manage_apps(admin),
                        _("Third-party apps are for the site's admins."))
    with transaction.atomic():
        pk = app.pk
        app.delete()
        events.AppSaved.record(actor=admin, application=pk, action="removed")


def apps_list() -> list[Application]:
    """Every app, newest first, with ``members``: how many members it may act for now."""
    return list(Application.objects.order_by("-created", "-pk").annotate(
        members=Count("refreshtoken__user", filter=_refresh_alive("refreshtoken__"),
                      distinct=True)))


def app_authorised(*, member, app: Application, scopes) -> list[str]:
    """Record that ``member`` allowed ``app`` (the consent page, after the code is made)."""
    granted = capped(member, scopes)
    events.AppAuthorised.record(actor=member, application=app.pk, scopes=granted)
    return granted


def _refresh_alive(prefix: str = "") -> Q:
    """Refresh tokens that can still make an access token (``prefix``: through a join)."""
    q = Q(**{f"{prefix}revoked__isnull": True})
    seconds = oauth2_settings.REFRESH_TOKEN_EXPIRE_SECONDS
    if seconds:
        q &= Q(**{f"{prefix}created__gt": timezone.now() - timedelta(seconds=seconds)})
    return q


def authorised_apps(member) -> list[Application]:
    """The apps that may act for ``member`` now (a live access token, or a refresh token
    that can still make one), each with ``granted`` (the scopes of its newest token) and
    ``since`` (when it was last authorised or refreshed)."""
    now = timezone.now()
    live = list(AppToken.objects.filter(user=member, expires__gt=now)
                .values_list("application_id", "scope", "created"))
    refreshable = set(RefreshToken.objects.filter(_refresh_alive(), user=member)
                      .values_list("application_id", flat=True))
    newest = {}
    for app_id, scope, created in AppToken.objects.filter(
            user=member, application_id__in={a for a, _s, _c in live} | refreshable
    ).values_list("application_id", "scope", "created"):
        if app_id not in newest or created > newest[app_id][1]:
            newest[app_id] = (scope, created)
    apps = list(Application.objects.filter(pk__in=newest.keys() | refreshable)
                .order_by("name", "pk"))
    for app in apps:
        scope, since = newest.get(app.pk, ("", None))
        app.granted = capped(member, scope)
        app.since = since
    return apps


def app_revoke(*, member, app: Application) -> int:
    """End every token and unused code ``app`` holds for ``member``; the number of tokens
    that stopped working (0: it held none, and nothing is recorded)."""
    permissions.require(permissions.is_member(member), _("Sign in to manage your apps."))
    with transaction.atomic():
        refreshes = RefreshToken.objects.filter(user=member, application=app,
                                                revoked__isnull=True).update(
                                                    revoked=timezone.now())
        access = AppToken.objects.filter(user=member, application=app)
        accesses = access.count()
        access.delete()
        Grant.objects.filter(user=member, application=app).delete()
        ended = refreshes + accesses
        if ended:
            events.AppRevoked.record(actor=member, subject_user=member.pk,
                                     application=app.pk, tokens=ended)
    return ended
