from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods

from community import permissions
from community.content import limits
from community.forms import InviteForm
from community.models import Invitation, User
from community.services.invitations import (
    InvalidInvitation,
    invitation_link_get,
    invitation_resolve,
    invitations_send,
)
from community.signals import INVITATION_SESSION_KEY


@login_required
@require_http_methods(["GET", "POST"])
def invite(request):
    """Invite friends by email or share a personal link; see who joined.

    Template ``community/invite.html``.
    """
    permissions.require(permissions.can_invite(request.user),
                        permissions.why_not(request.user))
    if request.method == "POST" and "personal_link" in request.POST:
        invitation_link_get(inviter=request.user)  # a GET never creates it
        messages.success(request, gettext("Your personal link is ready to share."))
        return redirect("invite")
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = invitations_send(
                inviter=request.user,
                emails=form.cleaned_data["emails"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if result.sent:
                count = len(result.sent)
                messages.success(request, ngettext(
                    "Invitation sent to %(count)s address.",
                    "Invitations sent to %(count)s addresses.", count) % {"count": count})
            if result.already_invited:
                messages.info(
                    request, (gettext("Already invited recently: %(emails)s.")
                              % {"emails": ", ".join(result.already_invited)})
                )
            return redirect("invite")
    link = Invitation.objects.filter(inviter=request.user, kind=Invitation.Kind.LINK).first()
    context = {
        "form": form,
        "personal_link": request.build_absolute_uri(link.get_absolute_url()) if link else "",
        "joined": User.objects.filter(invited_by=request.user).order_by("-date_joined")[:50],
        "sent": Invitation.objects.filter(inviter=request.user, kind=Invitation.Kind.EMAIL)[:50],
        "invitations_left": limits.invitations_left(request.user),
    }
    return render(request, "community/invite.html", context)


@require_http_methods(["GET"])
def invite_accept(request, token):
    """Land from an invite link: remember it for sign-up, or explain why it cannot be used.

    Template ``community/invite_accept.html``.
    """
    try:
        invitation = invitation_resolve(token)
    except InvalidInvitation as exc:
        return render(request, "community/invite_invalid.html", {"reason": str(exc)}, status=400)
    if request.user.is_authenticated:
        messages.info(request, gettext("You are already a member; welcome back."))
        return redirect("home")
    request.session[INVITATION_SESSION_KEY] = invitation.pk
    return render(request, "community/invite_accept.html", {"invitation": invitation})
