"""The composer's server side: the preview (htmx, and without JavaScript through the form's
own view) rendered exactly as posting would render it."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from community import permissions, rates
from community.composer import rendered_preview
from community.content import emoji
from community.models import User
from community.services import drafts

# Previews a member may ask for in a minute: well above typing and pressing the button, far
# below what would make rendering a load on the site.
PREVIEWS_PER_MINUTE = 30
PREVIEW_TEMPLATE = "components/_composer_preview.html"


def _too_many(user) -> bool:
    return rates.over(f"composer-preview:{user.pk}", PREVIEWS_PER_MINUTE, 60)


@login_required
@require_POST
def preview(request):
    """``POST`` ``source`` (the field's name, ``body`` by default) and that field's text:
    answers the preview fragment (``components/_composer_preview.html``); 403 for who may
    not post, 429 past :data:`PREVIEWS_PER_MINUTE`, 400 for a text too long to post."""
    permissions.require(permissions.can_take_part(request.user),
                        lambda: permissions.why_not(request.user))
    if _too_many(request.user):
        return render(request, PREVIEW_TEMPLATE, {
            "error": _("That is a lot of previews in a minute; wait a moment and try again.")},
            status=429)
    source = request.POST.get("source", "body")[:40]
    try:
        html = rendered_preview(request.user, request.POST.get(source, ""))
    except ValidationError as error:
        return render(request, PREVIEW_TEMPLATE, {"error": " ".join(error.messages)},
                      status=400)
    return render(request, PREVIEW_TEMPLATE, {"preview": html})


@login_required
@require_POST
def draft_save(request):
    """``POST`` ``place``, ``body`` and (for a new thread) ``title``, as the member types:
    keeps the draft (an empty text discards it) and answers a line for the composer's status
    (``components/_draft_status.html``); 403 for a place the member may not write in, 404
    for one that is not there."""
    draft = drafts.draft_save(member=request.user, place=request.POST.get("place", "")[:40],
                              body=request.POST.get("body", ""),
                              title=request.POST.get("title", ""))
    return render(request, "components/_draft_status.html",
                  {"draft": draft, "now": timezone.now()})


SUGGESTIONS = 8


@login_required
@require_GET
def suggest(request):
    """The composer's ``@`` and ``:`` menus, as JSON: ``?key=@&q=ma`` gives up to
    :data:`SUGGESTIONS` members whose handle or name starts with ``ma`` (handle and name,
    never an address), ``?key=:&q=sm`` the emoji shortcodes starting with ``sm``."""
    query = request.GET.get("q", "").strip()[:30]
    if request.GET.get("key") == ":":
        return JsonResponse({"emoji": [{"code": code, "emoji": char}
                                       for code, char in emoji.suggestions(query,
                                                                           limit=SUGGESTIONS)]})
    if not query:
        return JsonResponse({"members": []})
    # Whom a mention links to (``conversations.existing_handles``): active, not former.
    members = (User.objects.filter(Q(username__istartswith=query)
                                   | Q(display_name__istartswith=query),
                                   is_active=True, is_former_member=False)
               .order_by("username").values("username", "display_name")[:SUGGESTIONS])
    return JsonResponse({"members": [{"username": m["username"],
                                      "name": m["display_name"] or m["username"]}
                                     for m in members]})
