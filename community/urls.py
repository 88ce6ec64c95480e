from django.urls import path

from community.models import Thread

from .feeds import LatestThreadsFeed, SpaceThreadsFeed
from .views import (
    feeds,
    health,
    host,
    inbox,
    invitations,
    moderation,
    pages,
    posts,
    profiles,
    search,
    threads,
)

urlpatterns = [
    path("", feeds.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("theme.css", pages.brand_css, name="brand_css"),
    # Spaces and threads
    path("s/<slug:slug>/", feeds.space_detail, name="space"),
    path("s/<slug:slug>/follow/", feeds.space_follow, name="space_follow"),
    path("ask/", threads.thread_create, {"kind": Thread.Kind.QUESTION}, name="ask"),
    path("ask/similar/", threads.similar, name="similar_questions"),
    path("discuss/", threads.thread_create, {"kind": Thread.Kind.DISCUSSION}, name="discuss"),
    path("announce/", threads.thread_create, {"kind": Thread.Kind.ANNOUNCEMENT},
         name="announce"),
    path("t/<int:pk>/reply/", threads.thread_reply, name="thread_reply"),
    path("t/<int:pk>/follow/", threads.thread_follow, name="thread_follow"),
    path("t/<int:pk>/<str:slug>/", threads.thread_detail, name="thread"),
    path("search/", search.search, name="search"),
    path("feeds/latest/", LatestThreadsFeed(), name="latest_feed"),
    path("s/<slug:slug>/feed/", SpaceThreadsFeed(), name="space_feed"),
    # Posts
    path("p/<int:pk>/", threads.post_permalink, name="post_permalink"),
    path("p/<int:pk>/vote/<str:kind>/", posts.post_vote, name="post_vote"),
    path("p/<int:pk>/accept/", posts.post_accept, name="post_accept"),
    path("p/<int:pk>/edit/", posts.post_edit, name="post_edit"),
    path("p/<int:pk>/delete/", posts.post_delete, name="post_delete"),
    path("p/<int:pk>/history/", posts.post_history, name="post_history"),
    path("p/<int:pk>/flag/", moderation.post_flag, name="post_flag"),
    # Notifications
    path("notifications/", inbox.inbox, name="notifications"),
    path("notifications/bell/", inbox.bell, name="notification_bell"),
    path("notifications/read/", inbox.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/open/", inbox.notification_open, name="notification_open"),
    path("settings/notifications/", inbox.notification_settings, name="notification_settings"),
    path("unsubscribe/<str:token>/", inbox.unsubscribe, name="unsubscribe"),
    # Host tools
    path("host/", host.dashboard, name="host_dashboard"),
    path("host/health.csv", host.dashboard_csv, name="host_dashboard_csv"),
    path("host/advocates/", host.advocates, name="advocates"),
    path("host/review/", moderation.review_queue, name="review_queue"),
    path("host/review/<int:pk>/edit/", moderation.review_edit, name="review_edit"),
    path("host/review/<int:pk>/<str:action>/", moderation.review_action, name="review_action"),
    path("host/members/<str:username>/suspend/", moderation.member_suspend,
         name="member_suspend"),
    path("host/members/<str:username>/unsuspend/", moderation.member_unsuspend,
         name="member_unsuspend"),
    path("host/welcome/", moderation.welcome_queue, name="welcome_queue"),
    path("host/welcome/<int:pk>/", moderation.welcome_member, name="welcome_member"),
    path("host/log/", moderation.moderation_log, name="moderation_log"),
    path("host/threads/<int:pk>/", moderation.thread_tools, name="thread_tools"),
    path("host/threads/<int:pk>/<str:tool>/", moderation.thread_tool, name="thread_tool"),
    # Members
    path("u/<str:username>/", profiles.profile_detail, name="profile"),
    path("settings/profile/", profiles.profile_edit, name="profile_edit"),
    path("settings/delete/", profiles.account_delete_view, name="account_delete"),
    path("invite/", invitations.invite, name="invite"),
    path("invite/<str:token>/", invitations.invite_accept, name="invite_accept"),
]
