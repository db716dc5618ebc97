from django.urls import path

from .views import imports as views

urlpatterns = [
    path("manage/<slug:slug>/import/", views.import_upload, name="import_upload"),
    path(
        "manage/<slug:slug>/import/<int:batch_id>/",
        views.import_preview,
        name="import_preview",
    ),
    path(
        "manage/<slug:slug>/import/<int:batch_id>/progress/",
        views.import_progress,
        name="import_progress",
    ),
]
