"""Notifications: the bell, the inbox, email preferences and one-click unsubscribe."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community.engine import notifications
from community.forms import NotificationSettingsForm
from community.models import Notification
from community.selectors.inbox import group_of, inbox_groups
from community.services import users


@login_required
@require_GET
def inbox(request):
    """The member's notices, one row per thread and kind, newest first
    (``selectors.inbox``). Template ``community/inbox.html``. The bell and the page's
    "N unread" count the same thing: unread notices shown on the site."""
    page = inbox_groups(request.user, request.GET.get("page"))
    return render(request, "community/inbox.html",
                  {"page": page, "unread": request.user.standing["unread"]})


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
    """Mark a notice read, with the others of its row in the inbox (the same thread and
    kind), and go to what it is about."""
    notice = (Notification.objects.filter(pk=pk, recipient=request.user)
              .select_related("thread").first())
    if notice is None:
        raise Http404(gettext("No such notification."))
    group_of(notice).update(read_at=timezone.now())
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
    messages.success(request, (ngettext("Marked %(count)s notification as read.",
                                        "Marked %(count)s notifications as read.",
                                        count) % {"count": count}))
    return redirect("notifications")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """Which notices the member gets, per kind on the site, by email and by push, the
    email switch, the digest, routed questions and the member's push devices. Template
    ``community/notification_settings.html``."""
    form = NotificationSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            users.notice_settings_save(actor=request.user, rows=form.rows(),
                                       fields=form.fields_chosen())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("Your notification settings are saved."))
            return redirect("notification_settings")
    return settings_page(request, form=form)


def settings_page(request, *, form=None, pause_form=None, status=200):
    """The settings page, with the member's thread and space levels and their pause
    (``views.notice_levels.settings_context``) and their push devices."""
    from community.engine import push

    from .notice_levels import settings_context

    form = form or NotificationSettingsForm(instance=request.user)
    keys = push.vapid()
    return render(request, "community/notification_settings.html", {
        "form": form, "push_key": keys.public if keys else "",
        "devices": request.user.push_subscriptions.all(),
        **settings_context(request, pause_form=pause_form)}, status=status)


@csrf_exempt  # RFC 8058 one-click: mail clients POST without our CSRF token; the signed
@require_http_methods(["GET", "POST"])  # token in the URL is the only thing it can change.
def unsubscribe(request, token):
    """Stop one kind of email from a link in that email. Templates ``unsubscribe*.html``."""
    try:
        member, topic = notifications.unsubscribe_read(token)
    except (signing.BadSignature, ValueError):
        return render(request, "community/unsubscribe_invalid.html", status=400)
    label = notifications.topic_label(topic)
    if request.method == "POST":
        notifications.unsubscribe_apply(member, topic)
        return render(request, "community/unsubscribe_done.html", {"label": label})
    return render(request, "community/unsubscribe.html", {"label": label, "member": member})
