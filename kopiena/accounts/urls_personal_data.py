from django.urls import path

from . import views_personal_data as views

app_name = "personal_data"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("export/", views.export, name="export"),
    path("consent/", views.consent, name="consent"),
    path("delete/", views.delete, name="delete"),
]
