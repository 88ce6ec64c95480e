"""Notification levels of threads and spaces (Watching, Normal, Muted), the member's list
of them on their notification settings page, and pausing all notifications."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from community.engine import notice_settings
from community.forms import NoticePauseForm
from community.models import Space, SpaceFollow, ThreadFollow
from community.services import notice_levels

from .threads import _thread_or_404

MENU_TEMPLATE = "community/_level_menu.html"
LEVELS_PAGE = 20

THREAD_LEVELS = (
    (ThreadFollow.Level.WATCHING, gettext_lazy("Watching"),
     gettext_lazy("Every new post in this thread.")),
    (ThreadFollow.Level.NORMAL, gettext_lazy("Normal"),
     gettext_lazy("Replies to your posts, answers to your question and mentions of you.")),
    (ThreadFollow.Level.MUTED, gettext_lazy("Muted"),
     gettext_lazy("Nothing from this thread, mentions included. Host decisions about your "
                  "posts still reach you.")),
)
SPACE_LEVELS = (
    (SpaceFollow.Level.WATCHING, gettext_lazy("Watching"),
     gettext_lazy("Every new thread and every post in this space.")),
    (SpaceFollow.Level.WATCHING_FIRST, gettext_lazy("Watching first post"),
     gettext_lazy("Every new thread in this space, not the replies.")),
    (SpaceFollow.Level.NORMAL, gettext_lazy("Normal"),
     gettext_lazy("Only what each thread's own level brings you.")),
    (SpaceFollow.Level.MUTED, gettext_lazy("Muted"),
     gettext_lazy("Nothing from this space's threads, except those you set a level on.")),
)


def _label(levels, level) -> str:
    return next((str(label) for value, label, _ in levels if value == level), "")


def menu_context(*, thread=None, space=None, level: str = "", space_level: str = "") -> dict:
    """What the level menu (``community/_level_menu.html``) shows for a thread or a space:
    the member's own level (``level``; "" for no row) and, for a thread without one, what
    its space's level makes of it."""
    if thread is not None:
        from community.engine.notice_levels import thread_level

        current = thread_level(level or None, space_level or None)
        inherited = not level and current != ThreadFollow.Level.NORMAL
        return {"kind": "thread", "target": thread, "levels": THREAD_LEVELS,
                "action": reverse("thread_level", args=[thread.pk]), "level": current,
                "current_label": _label(THREAD_LEVELS, current), "inherited": inherited,
                "title": thread.title}
    current = level or SpaceFollow.Level.NORMAL
    return {"kind": "space", "target": space, "levels": SPACE_LEVELS,
            "action": reverse("space_level", args=[space.slug]), "level": current,
            "current_label": _label(SPACE_LEVELS, current), "inherited": False,
            "title": space.name}


def _back(request, default, *, referer=False):
    """Where a form returns: the page named by ``next`` (the settings page), the page it
    was sent from (``referer``: the header's form, kept for every page alike, names none),
    or ``default``."""
    target = request.POST.get("next", "") or (referer and request.META.get("HTTP_REFERER", ""))
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


def _level_answer(request, context: dict, default: str):
    """After a level is set: the menu in place for htmx, otherwise a message and back."""
    if request.htmx:
        return render(request, MENU_TEMPLATE, {**context, "saved": True})
    messages.success(request, gettext("Notifications for “%(title)s”: %(level)s.")
                     % {"title": context["title"], "level": context["current_label"]})
    return _back(request, default)


@login_required
@require_POST
def thread_level(request, pk):
    """Set the member's level of a thread. htmx: the menu, in place (``_level_menu.html``);
    otherwise back to the thread (or the settings page named by ``next``). A thread they
    may not see: 404; a level not offered: 400."""
    thread = _thread_or_404(request, pk)
    level = request.POST.get("level", "")
    try:
        notice_levels.thread_level_set(actor=request.user, thread=thread, level=level)
    except ValidationError as error:
        return HttpResponseBadRequest(error.messages[0])
    row = ThreadFollow.objects.filter(user=request.user, thread=thread).values_list(
        "level", flat=True).first() or ""
    space_row = SpaceFollow.objects.filter(user=request.user, space_id=thread.space_id
                                           ).values_list("level", flat=True).first() or ""
    return _level_answer(request, menu_context(thread=thread, level=row, space_level=space_row),
                         thread.get_absolute_url())


@login_required
@require_POST
def space_level(request, slug):
    """Set the member's level of a space; like :func:`thread_level`."""
    space = get_object_or_404(Space, slug=slug)
    level = request.POST.get("level", "")
    try:
        notice_levels.space_level_set(actor=request.user, space=space, level=level)
    except ValidationError as error:
        return HttpResponseBadRequest(error.messages[0])
    row = SpaceFollow.objects.filter(user=request.user, space=space).values_list(
        "level", flat=True).first() or ""
    return _level_answer(request, menu_context(space=space, level=row),
                         space.get_absolute_url())


def settings_context(request, *, pause_form=None) -> dict:
    """The level lists and the pause of the notification settings page (3 queries: the
    spaces, the threads' count and one page of them)."""
    user = request.user
    spaces = list(SpaceFollow.objects.filter(user=user).select_related("space")
                  .order_by("space__name"))
    threads = Paginator(
        ThreadFollow.objects.filter(user=user, thread__is_deleted=False,
                                    thread__merged_into__isnull=True)
        .select_related("thread", "thread__space").order_by("-created_at", "-pk"),
        LEVELS_PAGE).get_page(request.GET.get("page"))
    here = reverse("notification_settings")
    return {
        "level_spaces": [(row, _label(SPACE_LEVELS, row.level)) for row in spaces],
        "level_threads": threads,
        "level_thread_rows": [(row, _label(THREAD_LEVELS, row.level)) for row in threads],
        "thread_levels": THREAD_LEVELS, "space_levels": SPACE_LEVELS,
        "settings_here": here + (f"?page={threads.number}" if threads.number > 1 else ""),
        "pause_form": pause_form or NoticePauseForm(),
        "paused_until": notice_settings.paused_until(user),
    }


@login_required
@require_POST
def notices_pause(request):
    """Pause every notification email (and push) until a chosen moment; notices still
    reach the inbox. Errors: the settings page again, with the form's errors (400)."""
    form = NoticePauseForm(request.POST)
    if not form.is_valid():
        from .inbox import settings_page

        return settings_page(request, pause_form=form, status=400)
    notice_levels.notices_pause(actor=request.user, until=form.cleaned_data["until_at"])
    messages.success(request, gettext("Notifications paused until %(date)s. They wait in "
                                      "your inbox; no email until then.")
                     % {"date": formats.date_format(form.cleaned_data["until_at"],
                                                    "DATETIME_FORMAT")})
    return _back(request, reverse("notification_settings"))


@login_required
@require_POST
def notices_resume(request):
    """End the pause now. Nothing held back is sent; the next digest covers the pause."""
    if notice_levels.notices_resume(actor=request.user):
        messages.success(request, gettext("Your notifications are back on."))
    return _back(request, reverse("notification_settings"), referer=True)
