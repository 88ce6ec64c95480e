"""The member's personal access tokens page (``/settings/tokens/``): list, create (the
token shown once), revoke with a confirmation."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from community.models import AccessToken

from . import tokens
from .forms import TokenForm


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """Your tokens and the form for a new one; after creating, the new token's secret, once.
    Template ``community/api/tokens.html``."""
    form = TokenForm(request.POST or None, user=request.user)
    created = secret = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = tokens.token_create(
                user=request.user, name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"], days=form.cleaned_data["days"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            status = 400
        else:
            form = TokenForm(user=request.user)
    elif request.method == "POST":
        status = 400
    response = render(request, "community/api/tokens.html", {
        "form": form, "created": created, "secret": secret,
        "tokens": tokens.tokens_of(request.user)}, status=status)
    if secret:  # shown once: never kept by a browser or a proxy
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    """Confirm, then revoke one of your tokens. Template ``community/api/token_revoke.html``."""
    token = AccessToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        raise Http404(_("No such token."))
    if request.method == "POST":
        if tokens.token_revoke(actor=request.user, token=token):
            messages.success(request, _("“%(name)s” is revoked: it no longer works.")
                             % {"name": token.name})
        return redirect("api_tokens")
    return render(request, "community/api/token_revoke.html", {"token": token})
