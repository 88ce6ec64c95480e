"""``/api/v1/`` (namespace ``api``): community's resources, the schema and its docs page.
config/urls.py adds purpose's and partners' resources (``purpose.api``, ``partners.api``)
and, last, the catch-all that answers any other address with a 404 problem."""
from django.urls import path, re_path

from . import problems, schema, views  # schema: the token's security scheme

app_name = "api"
__all__ = ["schema"]

urlpatterns = [
    path("schema/", views.Schema.as_view(), name="schema"),
    path("docs/", views.Docs.as_view(url_name="api:schema"), name="docs"),
    path("spaces/", views.SpaceList.as_view(), name="space-list"),
    path("spaces/<slug:slug>/", views.SpaceDetail.as_view(), name="space-detail"),
    path("tags/", views.TagList.as_view(), name="tag-list"),
    path("threads/", views.ThreadList.as_view(), name="thread-list"),
    path("threads/<int:pk>/", views.ThreadDetail.as_view(), name="thread-detail"),
    path("threads/<int:pk>/posts/", views.ThreadPosts.as_view(), name="thread-posts"),
    path("posts/<int:pk>/", views.PostDetail.as_view(), name="post-detail"),
    path("posts/<int:pk>/helpful/", views.PostHelpful.as_view(), name="post-helpful"),
    path("posts/<int:pk>/moderation/", views.PostModeration.as_view(), name="post-moderation"),
    path("members/<str:username>/", views.MemberDetail.as_view(), name="member-detail"),
    path("search/", views.Search.as_view(), name="search"),
    path("health/", views.Health.as_view(), name="health"),
]

# Appended by config/urls.py after the other apps' resources.
fallback = [re_path(r"^.*$", problems.not_found)]
