"""Claiming an imported account, and a member's own data as a download."""
import json

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from community import permissions
from community.forms import ClaimLinkForm
from community.models import Post, User, Vote
from community.services import users as user_services


@login_required
@require_http_methods(["GET", "POST"])
def claim_link(request, username):
    """A host sends the claim link of an imported account. Template ``claim_link.html``."""
    permissions.require(permissions.can_moderate(request.user),
                        "Only the host team sends claim links.")
    member = get_object_or_404(User, username=username, is_unclaimed=True, is_active=True)
    form = ClaimLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_services.claim_link_send(actor=request.user, member=member,
                                          email=form.cleaned_data["email"])
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, f"The claim link for {member.name} is on its way.")
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
            login(request, member, backend="community.adapters.MemberModelBackend")
            messages.success(request, "Welcome back! Your account and its history are yours.")
            return redirect(member.get_absolute_url())
    return render(request, "community/account_claim.html", {
        "member": member, "email": email, "form": form,
    }, status=400 if form.is_bound else 200)


@login_required
@require_GET
def my_data(request):
    """What we hold about you, and the download button. Template ``my_data.html``."""
    return render(request, "community/my_data.html", {
        "posts": Post.objects.filter(author=request.user).count(),
        "votes": Vote.objects.filter(voter=request.user).count(),
    })


@login_required
@require_GET
def my_data_download(request):
    """Your profile, posts and votes as one JSON file."""
    user = request.user
    data = {
        "profile": {
            "handle": user.username, "display_name": user.display_name, "email": user.email,
            "bio": user.bio, "location": user.location, "products": user.products,
            "interests": user.interests, "joined": user.date_joined.isoformat(),
            "digest": user.digest, "email_notifications": user.email_notifications,
        },
        "posts": [
            {"id": p.pk, "thread": p.thread.title, "thread_id": p.thread_id, "kind": p.kind,
             "body": p.body, "created_at": p.created_at.isoformat(), "deleted": p.is_deleted,
             "url": request.build_absolute_uri(p.get_absolute_url())}
            for p in Post.objects.filter(author=user).select_related("thread")
            .order_by("created_at").iterator(chunk_size=500)
        ],
        "votes": [
            {"post_id": v.post_id, "kind": v.kind, "created_at": v.created_at.isoformat()}
            for v in Vote.objects.filter(voter=user).order_by("created_at")
            .iterator(chunk_size=500)
        ],
    }
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{user.username}-data.json"'
    return response
