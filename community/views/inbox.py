"""Notifications: the bell, the inbox, email preferences and one-click unsubscribe."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community.engine import notifications
from community.forms import NotificationSettingsForm
from community.models import Notification

PAGE_SIZE = 30


@login_required
@require_GET
def inbox(request):
    """Every notice, newest first. Template ``community/inbox.html``."""
    notices = (
        Notification.objects.filter(recipient=request.user)
        .select_related("actor", "thread").order_by("-created_at", "-pk")
    )
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    for notice in page:
        notice.text = notifications.describe(notice)
    return render(request, "community/inbox.html", {"page": page})


@login_required
@require_GET
def bell(request):
    """htmx: the bell with its unread count (read with the member, ``User.standing``).
    Template ``components/_bell.html``."""
    return render(request, "components/_bell.html",
                  {"unread": request.user.standing["unread"]})


@login_required
@require_GET
def notification_open(request, pk):
    """Mark a notice read and go to what it is about."""
    notice = (Notification.objects.filter(pk=pk, recipient=request.user)
              .select_related("thread").first())
    if notice is None:
        raise Http404("No such notification.")
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    if notice.url.startswith("/") and not notice.url.startswith("//"):
        return redirect(notice.url)  # a notice about a page of its own (a project, a partner)
    if notice.post_id:
        return redirect("post_permalink", pk=notice.post_id)
    if notice.thread_id:
        return redirect(notice.thread)
    return redirect("notifications")


@login_required
@require_POST
def notifications_read_all(request):
    count = Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} "
                              "as read.")
    return redirect("notifications")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """Email and digest preferences. Template ``community/notification_settings.html``."""
    form = NotificationSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your notification settings are saved.")
        return redirect("notification_settings")
    return render(request, "community/notification_settings.html", {"form": form})


@csrf_exempt  # RFC 8058 one-click: mail clients POST without our CSRF token; the signed
@require_http_methods(["GET", "POST"])  # token in the URL is the only thing it can change.
def unsubscribe(request, token):
    """Stop one kind of email from a link in that email. Templates ``unsubscribe*.html``."""
    try:
        member, topic = notifications.unsubscribe_read(token)
    except (signing.BadSignature, ValueError):
        return render(request, "community/unsubscribe_invalid.html", status=400)
    label = notifications.Topic.LABELS[topic]
    if request.method == "POST":
        notifications.unsubscribe_apply(member, topic)
        return render(request, "community/unsubscribe_done.html", {"label": label})
    return render(request, "community/unsubscribe.html", {"label": label, "member": member})
