from django.urls import path

from . import feeds, views

app_name = "network"
urlpatterns = [
    path("", views.feed, name="feed"),
    path("new/", views.post_new, name="new"),
    path("posts/<int:pk>/", views.post_detail, name="post"),
    path("posts/<int:pk>/flag/", views.flag, name="flag"),
    path("follow/", views.follow, name="follow"),
    path("notifications/", views.notifications, name="notifications"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/act/", views.moderate, name="moderate"),
    path("widget/<str:kind>/<slug:slug>/", views.widget, name="widget"),
    path("feeds/<str:kind>/rss/", feeds.NewsRssFeed(), name="feed_rss"),
    path("feeds/<str:kind>/atom/", feeds.NewsAtomFeed(), name="feed_atom"),
    path("feeds/<str:kind>/json/", feeds.json_feed, name="feed_json"),
    path("feeds/<str:kind>/<str:slug>/rss/", feeds.NewsRssFeed(), name="feed_rss"),
    path("feeds/<str:kind>/<str:slug>/atom/", feeds.NewsAtomFeed(), name="feed_atom"),
    path("feeds/<str:kind>/<str:slug>/json/", feeds.json_feed, name="feed_json"),
]
