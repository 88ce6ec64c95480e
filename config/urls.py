from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

import partners.api
import purpose.api
from community.api import urls as api_urls
from community.api.oauth import urls as oauth_urls
from community.engine.live.stream import stream_elsewhere
from community.identity import saml

admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path("stream/", stream_elsewhere, name="stream_elsewhere"),
    path("admin/", admin.site.urls),
    # The end of a SAML sign-in: allauth's, with a response that answers no request of this
    # browser (a replay) refused by a page that says so (community/identity/saml.py).
    path("accounts/saml/<str:organization_slug>/acs/finish/", saml.finish_acs,
         name="saml_finish_acs"),
    # The public REST API: community's resources, then purpose's and partners' (community
    # never imports them), then a 404 problem for any other address under it.
    path("api/v1/", include((api_urls.urlpatterns + purpose.api.urlpatterns
                             + partners.api.urlpatterns + api_urls.fallback, "api"))),
    # OAuth 2 for third-party apps: consent, token, revocation (community/api/oauth/).
    path("oauth/", include(oauth_urls)),
    path("accounts/", include("allauth.urls")),
    path("", include("purpose.urls")),
    path("", include("partners.urls")),
    path("", include("community.urls")),
    # Uploaded media is re-encoded at upload and served with nosniff; a CDN or the web server
    # takes this over in larger deployments.
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]

handler400 = "community.views.errors.bad_request"
handler403 = "community.views.errors.permission_denied"
handler404 = "community.views.errors.page_not_found"
handler500 = "community.views.errors.server_error"
