from django.urls import path

from . import feeds, views

app_name = "communities"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("map/", views.directory_map, name="map"),
    path("new/", views.create, name="create"),
    path("feed/rss/", feeds.NewCommunitiesFeed(), name="feed_rss"),
    path("feed/atom/", feeds.NewCommunitiesAtomFeed(), name="feed_atom"),
    path("invitation/<str:token>/", views.coordinator_accept, name="coordinator_accept"),
    path("overview/<slug:municipality>/", views.overview, name="overview"),
    path("<slug:slug>/", views.profile, name="profile"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/photos/delete/", views.photo_delete, name="photo_delete"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/coordinators/", views.coordinators, name="coordinators"),
    path("<slug:slug>/history/", views.history, name="history"),
    path("<slug:slug>/merge/", views.merge, name="merge"),
]
