"""The pages around third-party apps.

- ``/settings/apps/``: the apps a member authorised, and revoking one (with a
  confirmation);
- ``/host/apps/``: the admins register apps (the client secret shown once, on the page
  they land on), read them and remove them (with a confirmation)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from oauth2_provider.models import Application

from community import permissions

from . import services
from .forms import AppForm
from .server import SCOPE_WORDS

ONCE_SLOT = "oauth_app_secret"


@login_required
@require_GET
def authorised_list(request):
    """The apps that may act for you now. Template ``community/oauth/authorised.html``."""
    apps = services.authorised_apps(request.user)
    for app in apps:
        app.granted_words = [SCOPE_WORDS[s] for s in app.granted]
    return render(request, "community/oauth/authorised.html", {"apps": apps})


@login_required
@require_http_methods(["GET", "POST"])
def authorised_revoke(request, pk):
    """Confirm, then end an app's access. Template ``community/oauth/revoke.html``."""
    app = next((a for a in services.authorised_apps(request.user) if a.pk == pk), None)
    if app is None:
        raise Http404(_("No such app among yours."))
    if request.method == "POST":
        services.app_revoke(member=request.user, app=app)
        messages.success(request, _("“%(name)s” can no longer act for you.")
                         % {"name": app.name})
        return redirect("oauth_authorised")
    return render(request, "community/oauth/revoke.html", {"app": app})


def _require_admin(request):
    permissions.require(permissions.can_manage_apps(request.user),
                        _("Third-party apps are for the site's admins."))


@login_required
@require_GET
def app_list(request):
    """Every registered app. Template ``community/oauth/apps.html``."""
    _require_admin(request)
    return render(request, "community/oauth/apps.html", {"apps": services.apps_list()})


@login_required
@require_http_methods(["GET", "POST"])
def app_create(request):
    """Register an app. Template ``community/oauth/app_form.html``."""
    _require_admin(request)
    form = AppForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            app, secret = services.app_register(admin=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            request.session[ONCE_SLOT] = {"app": app.pk, "secret": secret}
            messages.success(request, _("The app is registered."))
            return redirect("oauth_app_detail", pk=app.pk)
    return render(request, "community/oauth/app_form.html", {"form": form},
                  status=400 if form.is_bound and form.errors else 200)


@never_cache  # it may show the client secret: kept by no browser or proxy
@login_required
@require_GET
def app_detail(request, pk):
    """An app: its client id, redirect URIs and kind; its secret once, just after it was
    registered. Template ``community/oauth/app_detail.html``."""
    _require_admin(request)
    app = get_object_or_404(Application, pk=pk)
    shown = request.session.get(ONCE_SLOT)
    secret = None
    if shown and shown.get("app") == app.pk:
        secret = shown["secret"]
        del request.session[ONCE_SLOT]
    return render(request, "community/oauth/app_detail.html", {
        "app": app, "secret": secret, "uris": app.redirect_uris.split(),
        "public": app.client_type == services.PUBLIC})


@login_required
@require_http_methods(["GET", "POST"])
def app_delete(request, pk):
    """Confirm, then remove an app. Template ``community/oauth/app_delete.html``."""
    _require_admin(request)
    app = get_object_or_404(Application, pk=pk)
    if request.method == "POST":
        name = app.name
        services.app_remove(admin=request.user, app=app)
        messages.success(request, _("“%(name)s” is removed: its tokens no longer work.")
                         % {"name": name})
        return redirect("oauth_app_list")
    return render(request, "community/oauth/app_delete.html", {"app": app})
