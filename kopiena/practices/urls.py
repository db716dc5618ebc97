from django.urls import path

from . import views

app_name = "practices"
urlpatterns = [
    path("", views.library, name="library"),
    path("new/", views.case_new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("review/", views.review_queue, name="review_queue"),
    path("threads/<int:pk>/", views.thread, name="thread"),
    path("guides/", views.guide_list, name="guides"),
    path("guides/<slug:slug>/", views.guide_detail, name="guide"),
    path("guides/<slug:slug>/edit/", views.guide_edit, name="guide_edit"),
    path("guides/<slug:slug>/history/", views.guide_history, name="guide_history"),
    path("<slug:slug>/", views.case_detail, name="detail"),
    path("<slug:slug>/edit/", views.case_edit, name="edit"),
    path("<slug:slug>/submit/", views.case_submit, name="submit"),
    path("<slug:slug>/photos/delete/", views.photo_delete, name="photo_delete"),
    path("<slug:slug>/review/", views.case_review, name="review"),
    path("<slug:slug>/withdraw/", views.case_withdraw, name="withdraw"),
    path("<slug:slug>/replicate/", views.replicate, name="replicate"),
]
