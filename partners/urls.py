from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("partners/", views.organisations, name="organisations"),
    path("partners/apply/", views.apply, name="apply"),
    path("partners/review/", views.review, name="review"),
    path("partners/join/<str:token>/", views.invitation, name="invitation"),
    path("partners/coauthor/<int:pk>/", views.coauthor, name="coauthor"),
    path("partners/<slug:slug>/", views.organisation, name="organisation"),
    path("partners/<slug:slug>/decide/", views.decide, name="decide"),
    path("partners/<slug:slug>/edit/", views.edit, name="edit"),
    path("partners/<slug:slug>/people/", views.people, name="people"),
    path("partners/<slug:slug>/people/<str:username>/remove/", views.person_remove,
         name="person_remove"),
    path("partners/<slug:slug>/people/<str:username>/admin/", views.person_admin,
         name="person_admin"),
    path("partners/<slug:slug>/publish/", views.publish, name="publish"),
    path("partners/<slug:slug>/insights/", views.insights, name="insights"),
    path("partners/<slug:slug>/offers/", views.offers, name="offers"),
    path("partners/offers/<int:pk>/approve/", views.offer_approve, name="offer_approve"),
    path("partners/offers/<int:pk>/withdraw/", views.offer_withdraw, name="offer_withdraw"),
    path("partners/offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("offers/<int:pk>/go/", views.offer_go, name="offer_go"),
]
