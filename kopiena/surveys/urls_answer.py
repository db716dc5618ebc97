"""Public answering URLs at the survey's slug (views in views_answer.py)."""

from django.urls import path

from .views import answer as views_answer

urlpatterns = [
    path("<slug:slug>/", views_answer.answer, name="answer"),
    path("<slug:slug>/i/<str:token>/", views_answer.invitation, name="invitation"),
    path("<slug:slug>/resume/<str:token>/", views_answer.resume, name="resume"),
    path("<slug:slug>/resume/<str:token>/email/", views_answer.resume_email, name="resume_email"),
    path("<slug:slug>/thanks/", views_answer.thanks, name="thanks"),
]
