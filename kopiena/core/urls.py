from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("privatums/", views.privacy, name="privacy"),
    path("health/", views.health, name="health"),
]
