"""Claiming an imported account."""
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from community import permissions
from community.forms import ClaimLinkForm
from community.models import User
from community.services import users as user_services


@login_required
@require_http_methods(["GET", "POST"])
def claim_link(request, username):
    """A host sends the claim link of an imported account. Template ``claim_link.html``."""
    permissions.require(permissions.can_moderate(request.user),
                        gettext("Only the host team sends claim links."))
    member = get_object_or_404(User, username=username, is_unclaimed=True, is_active=True)
    form = ClaimLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_services.claim_link_send(actor=request.user, member=member,
                                          email=form.cleaned_data["email"])
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, (gettext("The claim link for %(name)s is on its way.")
                                       % {"name": member.name}))
            return redirect(member.get_absolute_url())
    return render(request, "community/claim_link.html", {"member": member, "form": form},
                  status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def account_claim(request, token):
    """Set a password and take over an imported account. Template ``account_claim.html``."""
    found = user_services.claim_read(token)
    if found is None:
        return render(request, "community/claim_invalid.html", status=404)
    member, email = found
    form = SetPasswordForm(member, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = user_services.claim_complete(
                member=member, email=email, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, member, backend="community.identity.adapters.MemberModelBackend")
            messages.success(request, gettext("Welcome back! Your account and its history are "
                                              "yours."))
            return redirect(member.get_absolute_url())
    return render(request, "community/account_claim.html", {
        "member": member, "email": email, "form": form,
    }, status=400 if form.is_bound else 200)
