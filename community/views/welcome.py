"""The first-visit welcome for a new member: what this community is for, spaces and tags to
follow, an introduction, and the new-member limits in plain words.

Reached once on its own (confirming the email address signs the member in and lands here)
and from a link on the member's home page until they finish or skip it; never after.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from community import permissions
from community.content.limits import new_member_summary
from community.forms import WelcomeForm
from community.selectors import feeds
from community.services import onboarding


@login_required
@require_http_methods(["GET", "POST"])
def welcome(request):
    """Template ``community/welcome.html``: the welcome form (GET), finished or skipped
    (POST; the "Skip" button posts ``skip``). Once done it redirects to the home page."""
    permissions.require(permissions.is_member(request.user))
    if not onboarding.welcome_pending(request.user):
        return redirect("home")
    if request.method == "POST" and "skip" in request.POST:
        onboarding.welcome_skip(member=request.user)
        messages.info(request, gettext("No problem: follow spaces and tags from their pages "
                               "whenever you like."))
        return redirect("home")
    choices = feeds.welcome_choices(request.user)
    if request.method == "POST":
        form = WelcomeForm(request.POST, tags=choices["tags"])
        if form.is_valid():
            data = form.cleaned_data
            onboarding.welcome_finish(member=request.user, spaces=data["spaces"],
                                      tags=data["tags"], offered_tags=choices["tags"],
                                      bio=data["bio"].strip())
            messages.success(request, gettext("You're all set. Your home page now starts with what "
                                      "you follow."))
            return redirect("home")
        status = 400
    else:
        form = WelcomeForm(tags=choices["tags"], initial={
            "spaces": sorted(choices["followed_spaces"]),
            "tags": sorted(choices["followed_tags"]), "bio": request.user.bio})
        status = 200
    chosen = {name: {str(value) for value in (form[name].value() or [])}
              for name in ("spaces", "tags")}
    return render(request, "community/welcome.html", {
        "form": form,
        "spaces": choices["spaces"],
        "tags": choices["tags"],
        "chosen_spaces": chosen["spaces"],
        "chosen_tags": chosen["tags"],
        "intro_thread": feeds.intro_thread(),
        "limits": new_member_summary(request.user),
    }, status=status)
