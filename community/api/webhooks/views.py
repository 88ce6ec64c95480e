"""The admins' webhook pages under ``/host/webhooks/``: endpoints, their delivery log,
"send again" and a test ping. Every write goes through ``services`` (which records the
event); the secret is shown once, on the page the admin lands on after making or rotating
it (kept in their session until then, never rendered again)."""
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import permissions
from community.models import WebhookDelivery, WebhookEndpoint
from community.selectors.feeds import page_number
from community.selectors.paging import page_slice

from . import payloads, services
from .forms import EndpointForm

PAGE_SIZE = 25
DELETED_SHOWN = 10
ONCE_SLOT = "webhook_secret"


def _require_admin(request):
    permissions.require(permissions.can_manage_webhooks(request.user),
                        _("Webhooks are for the site's admins."))


def _endpoint_or_404(pk, *, deleted=False) -> WebhookEndpoint:
    return get_object_or_404(WebhookEndpoint, pk=pk, deleted_at__isnull=not deleted)


def _show_secret_once(request, endpoint, secret):
    request.session[ONCE_SLOT] = {"endpoint": endpoint.pk, "secret": secret}


@login_required
@require_GET
def webhook_list(request):
    """Endpoints, newest first. Template ``community/webhooks/list.html``."""
    _require_admin(request)
    live = WebhookEndpoint.objects.filter(deleted_at__isnull=True).order_by("-created_at", "-pk")
    deleted = list(WebhookEndpoint.objects.filter(deleted_at__isnull=False)
                   .order_by("-deleted_at", "-pk")[:DELETED_SHOWN])
    undo = request.GET.get("deleted", "")
    undo = next((e for e in deleted if undo.isdigit() and e.pk == int(undo)), None)
    labels = dict(payloads.subscribable())
    endpoints = list(live)
    for endpoint in endpoints:
        endpoint.kind_labels = [labels.get(k, k) for k in endpoint.kinds]
    return render(request, "community/webhooks/list.html", {
        "endpoints": endpoints, "deleted": deleted, "undo": undo})


def _form_page(request, form, endpoint=None):
    return render(request, "community/webhooks/form.html", {"form": form, "endpoint": endpoint},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def webhook_create(request):
    """Register an endpoint. Template ``community/webhooks/form.html``."""
    _require_admin(request)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.endpoint_create(admin=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _show_secret_once(request, endpoint, endpoint.secret)
            messages.success(request, _("The endpoint is registered: copy its secret now."))
            return redirect("webhook_detail", pk=endpoint.pk)
    return _form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def webhook_edit(request, pk):
    """Change an endpoint's address, events or description."""
    _require_admin(request)
    endpoint = _endpoint_or_404(pk)
    form = EndpointForm(request.POST or None, endpoint=endpoint)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.endpoint_edit(admin=request.user, endpoint=endpoint,
                                             **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The endpoint is saved.") if changed
                             else _("Nothing changed."))
            return redirect("webhook_detail", pk=endpoint.pk)
    return _form_page(request, form, endpoint)


@never_cache  # it may show the secret: kept by no browser or proxy
@login_required
@require_GET
def webhook_detail(request, pk):
    """The endpoint and its delivery log (newest first, paginated): status, code, attempts,
    next try. Template ``community/webhooks/detail.html``."""
    _require_admin(request)
    endpoint = _endpoint_or_404(pk)
    shown = request.session.get(ONCE_SLOT)
    secret = None
    if shown and shown.get("endpoint") == endpoint.pk:
        secret = shown["secret"]
        del request.session[ONCE_SLOT]
    deliveries = (WebhookDelivery.objects.filter(endpoint=endpoint)
                  .select_related("event").order_by("-pk"))
    page = page_slice(deliveries, page=page_number(request.GET.get("page")), size=PAGE_SIZE)
    labels = dict(payloads.subscribable())
    return render(request, "community/webhooks/detail.html", {
        "endpoint": endpoint, "page": page, "secret": secret,
        "kind_labels": [labels.get(k, k) for k in endpoint.kinds]})


@login_required
@require_POST
def webhook_toggle(request, pk):
    """Disable or enable (``active`` 1 or 0)."""
    _require_admin(request)
    endpoint = _endpoint_or_404(pk)
    active = request.POST.get("active") == "1"
    services.endpoint_set_active(admin=request.user, endpoint=endpoint, active=active)
    messages.success(request, _("The endpoint is on: what waited is being sent.") if active
                     else _("The endpoint is off: events wait until it is on again."))
    return redirect("webhook_detail", pk=endpoint.pk)


@login_required
@require_POST
def webhook_rotate(request, pk):
    """A new secret, shown once."""
    _require_admin(request)
    endpoint = _endpoint_or_404(pk)
    secret = services.secret_rotate(admin=request.user, endpoint=endpoint)
    _show_secret_once(request, endpoint, secret)
    messages.success(request, _("A new secret signs every delivery from now on: copy it now."))
    return redirect("webhook_detail", pk=endpoint.pk)


@login_required
@require_http_methods(["GET", "POST"])
def webhook_delete(request, pk):
    """Confirm, then delete (with an undo). Template ``community/webhooks/delete.html``."""
    _require_admin(request)
    endpoint = _endpoint_or_404(pk)
    if request.method == "POST":
        services.endpoint_delete(admin=request.user, endpoint=endpoint)
        return redirect(f"{reverse('webhook_list')}?{urlencode({'deleted': endpoint.pk})}")
    return render(request, "community/webhooks/delete.html", {"endpoint": endpoint})


@login_required
@require_POST
def webhook_restore(request, pk):
    _require_admin(request)
    endpoint = _endpoint_or_404(pk, deleted=True)
    services.endpoint_restore(admin=request.user, endpoint=endpoint)
    messages.success(request, _("%(url)s is back.") % {"url": endpoint.url})
    return redirect("webhook_detail", pk=endpoint.pk)


@login_required
@require_POST
def webhook_ping(request, pk):
    """Send a test ping (a ``webhook_pinged`` event) to this endpoint."""
    _require_admin(request)
    endpoint = _endpoint_or_404(pk)
    services.endpoint_ping(admin=request.user, endpoint=endpoint)
    messages.success(request,
                     _("A test ping is on its way: its delivery is at the top of the log."))
    return redirect("webhook_detail", pk=endpoint.pk)


@login_required
@require_POST
def webhook_resend(request, pk):
    """Send a delivery again, with the same message id."""
    _require_admin(request)
    delivery = get_object_or_404(WebhookDelivery.objects.select_related("endpoint"), pk=pk,
                                 endpoint__deleted_at__isnull=True)
    services.delivery_resend(admin=request.user, delivery=delivery)
    messages.success(request, _("Delivery %(pk)s is sent again (the same id, evt_%(event)s).")
                     % {"pk": delivery.pk, "event": delivery.event_id})
    return redirect("webhook_detail", pk=delivery.endpoint_id)
