"""The shared purpose: its page, its editing, its history and restoring a revision."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import permissions
from community.composer import form_status, preview_into
from community.selectors.feeds import page_number

from .. import selectors, services
from ..forms import PurposeForm
from ..models import PurposeRevision


@require_GET
def purpose(request):
    """The shared purpose and the projects that serve it. Template ``purpose/purpose.html``."""
    return render(request, "purpose/purpose.html", {
        "revision": selectors.purpose_current(),
        "projects": selectors.projects_page(viewer=request.user, page=1).items[:6],
    })


@login_required
@require_http_methods(["GET", "POST"])
def purpose_edit(request):
    permissions.require(permissions.can_edit_purpose(request.user),
                        services.ONLY_HOSTS_EDIT_PURPOSE)
    current = selectors.purpose_current()
    if request.method == "POST":
        form = PurposeForm(request.POST)
        if not preview_into(request, form) and form.is_valid():
            try:
                services.purpose_revise(editor=request.user, **form.cleaned_data)
            except ValidationError as error:  # the content check: the text stays
                form.add_error(None, error)
            else:
                messages.success(request, gettext("The purpose page is updated; the earlier "
                                                  "version "
                                          "is kept in its history."))
                return redirect("purpose:purpose")
    else:
        form = PurposeForm(initial={"statement": current.statement, "story": current.story}
                           if current else {})
    return render(request, "purpose/purpose_edit.html", {"form": form, "revision": current},
                  status=form_status(form))


@require_GET
def purpose_history(request):
    """Every saved version of the purpose page, newest first."""
    page = selectors.purpose_history(page=page_number(request.GET.get("page")))
    return render(request, "purpose/purpose_history.html", {
        "revisions": page.items, "page": page,
        "may_edit": permissions.can_edit_purpose(request.user),
    })


@login_required
@require_POST
def purpose_restore(request, pk):
    revision = get_object_or_404(PurposeRevision, pk=pk)
    services.purpose_restore(editor=request.user, revision=revision)
    messages.success(request, gettext("That version is the purpose page again."))
    return redirect("purpose:purpose")
