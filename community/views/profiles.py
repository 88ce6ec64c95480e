from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from community import pages, permissions
from community.commerce import ownership
from community.content import limits
from community.forms import AccountDeleteForm, ProfileForm
from community.models import User
from community.selectors import profiles as profile_selectors
from community.selectors.advocates import is_community_helper
from community.selectors.feeds import page_number
from community.services.users import account_delete, profile_update


@pages.anonymous_page(lambda request, username: [pages.member_tag(username)])
def profile_detail(request, username):
    """A member's public profile. Template ``community/profile.html``."""
    members = User.objects.filter(is_active=True, is_former_member=False)
    member = members.filter(username=username).first()
    if member is None:
        # @mentions link to the lower-cased handle; send them to the member's own spelling.
        member = members.filter(username__iexact=username).order_by("pk").first()
        if member is None:
            raise Http404(gettext("No such member."))
        return redirect("profile", username=member.username, permanent=True)
    permissions.require(permissions.can_view_profile(request.user, member))
    joined = member.invitees.filter(is_active=True).count()
    activity = profile_selectors.activity_page(
        member, tab=request.GET.get("activity", ""), page=page_number(request.GET.get("page")),
        viewer=request.user,
    )
    return render(request, "community/profile.html", {
        "member": member,
        "invitees_joined": joined,
        "stats": profile_selectors.activity_stats(member),
        "community_helper": is_community_helper(member),
        "activity": activity,
        "activity_tabs": profile_selectors.Activity.ALL,
        "rights": limits.progress(member) if request.user.pk == member.pk else None,
        "ownerships": ownership.owned_by(member),
        # What they once typed as "products I own": shown to them only, with the catalogue's
        # products of those names (to say "I own this" on).
        "mentioned": ownership.mentioned_products(member) if request.user.pk == member.pk
        else [],
        "may_suspend": permissions.can_moderate(request.user)
        and not permissions.is_staff_host(member),
    })


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    """Edit one's own profile (not while suspended). Template ``community/profile_edit.html``."""
    user = request.user
    permissions.require(permissions.can_edit_profile(user, user),
                        permissions.why_not_edit_profile(user))
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=user)
        if form.is_valid():
            profile_update(actor=user, form=form)
            messages.success(request, gettext("Your profile is saved."))
            return redirect("profile", username=user.username)
        # Keep the stored avatar on screen even when the new upload was refused.
        user.refresh_from_db(fields=["avatar"])
    else:
        form = ProfileForm(instance=user)
    return render(request, "community/profile_edit.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def account_delete_view(request):
    """Delete one's account, choosing what happens to one's posts.

    Template ``community/account_delete.html``.
    """
    permissions.require(
        permissions.can_delete_account(request.user),
        lambda: permissions.why_not_delete_account(request.user),
    )
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        remove = form.cleaned_data["posts"] == AccountDeleteForm.PostChoice.REMOVE
        account_delete(request=request, user=request.user, remove_posts=remove)
        messages.success(request,
                         gettext("Your account is deleted. Thank you for being part of it."))
        return redirect("home")
    return render(request, "community/account_delete.html", {"form": form})
