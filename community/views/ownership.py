"""Ownership: "I own this" and its removal, the shop's purchase call, an owner's ask link."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.http.request import RawPostDataException
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from community import permissions
from community.commerce import asks, ownership, webhook
from community.models import Notification, Product, Thread


def _back(request):
    """Where the form came from (``next``, on this site only), else the member's profile."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(wanted)
    return redirect("profile", username=request.user.username)


@login_required
@require_POST
def product_own(request, slug):
    """``own=1``: the member says they own the product; ``own=0``: they no longer do
    (declared or verified). htmx gets ``community/_own_button.html`` back."""
    product = get_object_or_404(Product, slug=slug)
    own = request.POST.get("own") != "0"
    if own:
        permissions.require(product.is_active or ownership.ownership_of(
            request.user, product) is not None, gettext("This product is no longer on sale."))
        ownership.ownership_declare(member=request.user, product=product)
    else:
        ownership.ownership_remove(member=request.user, product=product)
    if request.htmx:
        # The form swapped in keeps sending the member back where the page was.
        return render(request, "community/_own_button.html",
                      {"product": product, "next": request.POST.get("next", "")})
    messages.success(request, (gettext("You own %(name)s.") % {"name": product.name}) if own else
                     (gettext("%(name)s is no longer among the products you own.")
                      % {"name": product.name}))
    return _back(request)


@csrf_exempt  # the shop cannot hold our CSRF token: the HMAC signature stands in for it
@require_POST
def purchase_webhook(request):
    """The shop's signed purchase call (``community.commerce.webhook``): JSON in and out."""
    timestamp = request.headers.get(webhook.TIMESTAMP_HEADER)
    given = request.headers.get(webhook.SIGNATURE_HEADER)
    try:
        if not (timestamp and given):
            raise webhook.Refused(403, "Missing signature.")
        try:
            body = request.body
        except RawPostDataException:  # a form, read as one before this view: not the shop's
            raise webhook.Refused(400, "The body must be JSON.") from None
        outcome = webhook.receive(body=body, timestamp=timestamp, given=given)
    except webhook.Refused as refused:
        return JsonResponse({"error": refused.reason}, status=refused.status)
    return JsonResponse(outcome.as_json())


@require_GET
def owner_ask(request, token):
    """The one-click link in an owner's ask: into the question's answer box. It signs
    nobody in: the thread's own rules apply. Template ``community/owner_ask_invalid.html``
    for a link altered or too old (400)."""
    try:
        thread_id, member_id = asks.ask_read(token)
    except asks.LinkInvalid as invalid:
        return render(request, "community/owner_ask_invalid.html",
                      {"expired": invalid.expired, "max_age_days": asks.MAX_AGE_DAYS},
                      status=400)
    thread = Thread.objects.filter(pk=thread_id).first()
    if thread is None or not permissions.can_view_thread(request.user, thread):
        raise Http404(gettext("This question is no longer here."))
    if request.user.is_authenticated and request.user.pk == member_id:
        Notification.objects.filter(recipient_id=member_id, thread_id=thread_id,
                                    kind=Notification.Kind.ROUTED,
                                    read_at__isnull=True).update(read_at=timezone.now())
    return redirect(f"{thread.get_absolute_url()}#reply")
