"""The consent page (``/oauth/authorize/``): django-oauth-toolkit's view, asked to offer a
member only the scopes their role allows, to ask every time, and to record the member's
"Allow" as an event in the same transaction as the code it makes.

Template ``oauth2_provider/authorize.html``: the app, the scopes in words (those the role
does not allow named apart), Allow and Deny; or, when the request cannot be sent back to
the app (an unknown app, a redirect URI it did not register), what went wrong."""
from urllib.parse import parse_qs, urlsplit

from django.db import transaction
from django.utils.translation import gettext as _
from oauth2_provider.models import Application
from oauth2_provider.views import AuthorizationView
from oauthlib.oauth2.rfc6749.utils import scope_to_list

from community import permissions

from . import services
from .server import SCOPE_WORDS, capped


class Consent(AuthorizationView):
    template_name = "oauth2_provider/authorize.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            permissions.require(permissions.is_member(request.user),
                                _("Your account cannot authorise apps."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        # The member is asked every time: no "auto" approval from an earlier token.
        if "approval_prompt" in request.GET:
            request.GET = request.GET.copy()
            request.GET.pop("approval_prompt")
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        initial = super().get_initial()
        initial["scope"] = " ".join(capped(self.request.user, initial.get("scope", "")))
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        asked = scope_to_list(context.get("scopes") or []) or []
        offered = capped(self.request.user, asked)
        context["offered"] = [SCOPE_WORDS[s] for s in offered]
        context["withheld"] = [SCOPE_WORDS[s] for s in asked
                               if s in SCOPE_WORDS and s not in offered]
        return context

    def form_invalid(self, form):
        """A consent form that was not this page's (fields missing): said, never sent on."""
        return self.render_to_response({"error": {
            "error": "invalid_request",
            "description": _("The consent form is incomplete: start again from the app.")}},
            status=400)

    def form_valid(self, form):
        if not Application.objects.filter(client_id=form.cleaned_data["client_id"]).exists():
            return self.form_invalid(form)  # a changed client id: no app to send back to
        # The hidden field could have been changed: the role caps it again.
        scopes = capped(self.request.user, form.cleaned_data.get("scope", ""))
        form.cleaned_data["scope"] = " ".join(scopes)
        if not form.cleaned_data.get("allow"):
            return super().form_valid(form)
        with transaction.atomic():
            response = super().form_valid(form)
            location = response.get("Location", "") if response.status_code == 302 else ""
            if "code" in parse_qs(urlsplit(location).query):
                app = Application.objects.get(client_id=form.cleaned_data["client_id"])
                services.app_authorised(member=self.request.user, app=app, scopes=scopes)
        return response
