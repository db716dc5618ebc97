from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("p/<uuid:uuid>/", views.published_report, name="published"),
    path(
        "p/<uuid:uuid>/visibility/", views.published_report_visibility, name="published_visibility"
    ),
    path("p/<uuid:uuid>/<str:format>/", views.published_report_download, name="published_download"),
    path("<slug:slug>/", views.survey_report, name="survey"),
    path("<slug:slug>/conclusions/", views.survey_conclusions, name="conclusions"),
    path("<slug:slug>/publish/", views.survey_publish, name="publish"),
    path("<slug:slug>/download/<str:format>/", views.survey_report_download, name="download"),
    path("<slug:slug>/building/<str:format>/", views.survey_report_building, name="building"),
]
