"""The installable app: the service worker, the web app manifest, its icons, the offline
page, and the member's push devices (subscribe and unsubscribe from the browser, remove
from the settings page)."""
import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from community import appicons, rates, theme
from community.engine import push
from community.models import PushSubscription
from community.services import push as push_service

SESSION_DEVICES = push_service.SESSION_DEVICES
BODY_MAX = 4096
#: Renewals of one old subscription an hour: a browser replaces a subscription a few times a
#: year; guessing that subscription's secret would take many more tries than this. Counted
#: per old endpoint, not per address, which behind a proxy would be the proxy's for everyone.
RENEWALS_PER_HOUR = 20


@require_GET
def service_worker(request):
    """``/sw.js``: served from the root so that its scope is the whole site. Template
    ``community/sw.js``; never kept by caches (a new version must reach browsers)."""
    response = render(request, "community/sw.js", {"version": appicons.digest()},
                      content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@cache_control(max_age=3600, public=True)
def web_manifest(request):
    """``/manifest.webmanifest``: what a phone needs to put the site on its home screen."""
    version = appicons.digest()
    icon = lambda name: f"{reverse('app_icon', args=[name])}?v={version}"  # noqa: E731
    manifest = {
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME[:12],
        "description": settings.BRAND.get("tagline", ""),
        "id": "/",
        "start_url": "/?source=app",
        "scope": "/",
        "display": "standalone",
        "theme_color": theme.tokens(settings.BRAND["accent"])["light"]["accent"],
        "background_color": theme.LIGHT["bg"],
        "icons": [
            {"src": icon("icon-192"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": icon("icon-512"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": icon("maskable-512"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    }
    return HttpResponse(json.dumps(manifest), content_type="application/manifest+json")


@require_GET
@cache_control(max_age=86400, public=True)
def app_icon(request, name):
    """A PNG icon drawn from the brand's logo (``community.appicons``)."""
    if name not in appicons.ICONS:
        raise Http404(gettext("No such icon."))
    png, version = appicons.icon(name)
    response = HttpResponse(png, content_type="image/png")
    response["ETag"] = f'"{version}-{name}"'
    return response


@require_GET
def offline(request):
    """What the service worker shows when a page cannot be reached: that the device is
    offline, and the pages read lately that it kept (listed by ``js/push.js`` from Cache
    Storage). Template ``community/offline.html``."""
    return render(request, "community/offline.html")


def _json_body(request):
    if request.content_type != "application/json":  # a form's body is read already
        raise ValidationError(gettext("The browser sent no valid JSON."))
    if len(request.body) > BODY_MAX:
        raise ValidationError(gettext("The browser sent too much."))
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationError(gettext("The browser sent no valid JSON.")) from error


def _refused(error: ValidationError, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": " ".join(error.messages)}, status=status)


@login_required
@require_POST
def push_subscribe(request):
    """POST JSON ``PushSubscription.toJSON()``: turn push on for this device (members;
    CSRF header). 201 with the device, 400 with what is wrong, 404 while push is off."""
    if not push.enabled():
        raise Http404(gettext("Push notifications are off on this site."))
    try:
        device = push_service.subscription_save(
            actor=request.user, data=_json_body(request),
            user_agent=request.headers.get("User-Agent", ""))
    except ValidationError as error:
        return _refused(error)
    devices = set(request.session.get(SESSION_DEVICES, []))
    request.session[SESSION_DEVICES] = sorted(devices | {device.pk})
    return JsonResponse({"id": device.pk, "label": device.label}, status=201)


@csrf_exempt
@require_POST
def push_renew(request):
    """POST JSON ``{"old": ..., "new": ...}`` from the service worker when the browser
    replaced a subscription (``pushsubscriptionchange``). No session and no CSRF token: a
    service worker has neither, and the request carries its own proof (the old
    subscription's endpoint and ``auth`` secret; ``services.push.subscription_renew``);
    cookies give it no authority. 200 with the device, 400 malformed, 404 unknown, 429 past
    :data:`RENEWALS_PER_HOUR` for one old subscription."""
    if not push.enabled():
        raise Http404(gettext("Push notifications are off on this site."))
    try:
        data = _json_body(request)
        if not isinstance(data, dict):
            raise ValidationError(gettext("The browser sent no push subscription."))
        old = data.get("old")
        endpoint = old.get("endpoint") if isinstance(old, dict) else None
        if isinstance(endpoint, str) and rates.over(
                "push-renew:" + hashlib.sha256(endpoint.encode()).hexdigest(),
                RENEWALS_PER_HOUR, 3600):
            response = JsonResponse({"error": gettext(
                "Too many renewals of this subscription; try again in an hour.")}, status=429)
            response["Retry-After"] = "3600"
            return response
        device = push_service.subscription_renew(old=data.get("old"), data=data.get("new"))
    except ValidationError as error:
        return _refused(error, status=404 if error.code == "unknown" else 400)
    return JsonResponse({"id": device.pk})


@login_required
@require_POST
def push_unsubscribe(request):
    """POST JSON ``{"endpoint": ...}``: the browser turned push off on this device."""
    try:
        data = _json_body(request)
    except ValidationError as error:
        return _refused(error)
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    if not isinstance(endpoint, str) or not endpoint:
        return _refused(ValidationError(gettext("The browser sent no push address.")))
    removed = push_service.subscriptions_remove(actor=request.user, endpoint=endpoint)
    return JsonResponse({"removed": removed})


@login_required
@require_POST
def push_device_remove(request, pk):
    """The settings page's "Remove" on one of the member's devices (a plain form)."""
    device = PushSubscription.objects.filter(pk=pk, member=request.user).first()
    if device is None:
        raise Http404(gettext("No such device."))
    push_service.subscription_remove(actor=request.user, subscription=device)
    messages.success(request, gettext("Push notifications are off for %(device)s.")
                     % {"device": device.label or gettext("that device")})
    return redirect(reverse("notification_settings") + "#push-devices")
