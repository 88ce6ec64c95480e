from django.urls import path

from .views import health, invitations, pages, profiles

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("theme.css", pages.brand_css, name="brand_css"),
    path("u/<str:username>/", profiles.profile_detail, name="profile"),
    path("settings/profile/", profiles.profile_edit, name="profile_edit"),
    path("settings/delete/", profiles.account_delete_view, name="account_delete"),
    path("invite/", invitations.invite, name="invite"),
    path("invite/<str:token>/", invitations.invite_accept, name="invite_accept"),
]
