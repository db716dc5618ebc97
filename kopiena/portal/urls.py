from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("meklet/", views.search, name="search"),
    path("pasvaldibas/", views.municipalities, name="municipalities"),
    path("pasvaldibas/<slug:slug>/", views.hub, name="hub"),
    path("panelis/", views.dashboard, name="dashboard"),
    path("panelis/mans-darbs/", views.my_work, name="my_work"),
    path("panelis/mana-kopiena/", views.my_community, name="my_community"),
    path("panelis/mani-jaunumi/", views.my_news, name="my_news"),
]
