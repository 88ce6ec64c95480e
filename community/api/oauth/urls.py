"""``/oauth/``: the consent page, the token endpoint and token revocation (RFC 7009);
django-oauth-toolkit's other pages (introspection, device flow, its own app management)
are not served."""
from django.urls import path
from oauth2_provider import views

from .consent import Consent

app_name = "oauth"

urlpatterns = [
    path("authorize/", Consent.as_view(), name="authorize"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("revoke/", views.RevokeTokenView.as_view(), name="revoke"),
]
