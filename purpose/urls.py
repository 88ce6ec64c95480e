from django.urls import path

from . import views

app_name = "purpose"

urlpatterns = [
    path("purpose/", views.purpose, name="purpose"),
    path("purpose/edit/", views.purpose_edit, name="purpose_edit"),
    path("purpose/history/", views.purpose_history, name="purpose_history"),
    path("purpose/history/<int:pk>/restore/", views.purpose_restore, name="purpose_restore"),
    path("projects/", views.projects, name="projects"),
    path("projects/propose/", views.project_propose, name="project_propose"),
    path("projects/mine/", views.my_projects, name="my_projects"),
    path("projects/<slug:slug>/", views.project_detail, name="project"),
    path("projects/<slug:slug>/edit/", views.project_edit, name="project_edit"),
    path("projects/<slug:slug>/status/", views.project_status, name="project_status"),
    path("projects/<slug:slug>/join/", views.project_join, name="project_join"),
    path("projects/<slug:slug>/leave/", views.project_leave, name="project_leave"),
    path("projects/<slug:slug>/follow/", views.project_follow, name="project_follow"),
    path("projects/<slug:slug>/people/<str:username>/role/", views.project_role,
         name="project_role"),
    path("projects/<slug:slug>/needs/", views.need_add, name="need_add"),
    path("projects/<slug:slug>/needs/<int:pk>/remove/", views.need_remove, name="need_remove"),
    path("projects/<slug:slug>/needs/<int:pk>/pledge/", views.need_pledge, name="need_pledge"),
    path("projects/<slug:slug>/updates/", views.project_updates, name="project_updates"),
    path("projects/<slug:slug>/updates/new/", views.project_update, name="project_update"),
    path("projects/<slug:slug>/discuss/", views.project_discuss, name="project_discuss"),
    path("projects/<slug:slug>/voting/", views.project_voting, name="project_voting"),
    path("projects/<slug:slug>/contributions/", views.project_contributions,
         name="project_contributions"),
    path("projects/<slug:slug>/contribute/", views.contribute, name="contribute"),
    path("contributions/<int:pk>/", views.contribution_detail, name="contribution"),
    path("contributions/<int:pk>/edit/", views.contribution_edit, name="contribution_edit"),
    path("contributions/<int:pk>/vote/", views.contribution_vote, name="contribution_vote"),
    path("contributions/<int:pk>/confirm/", views.contribution_confirm,
         name="contribution_confirm"),
]
