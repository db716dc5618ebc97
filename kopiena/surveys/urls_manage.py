from django.urls import path

from .views import manage as views

urlpatterns = [
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.manage_new, name="manage_new"),
    path("manage/upload/", views.manage_upload, name="manage_upload"),
    path("manage/<slug:slug>/", views.manage_detail, name="manage_detail"),
    path("manage/<slug:slug>/status/", views.manage_status, name="manage_status"),
    path("manage/<slug:slug>/settings/", views.manage_settings, name="manage_settings"),
    path("manage/<slug:slug>/xlsform.xlsx", views.manage_xlsform, name="manage_xlsform"),
    path("manage/<slug:slug>/questions/", views.manage_questions, name="manage_questions"),
    path(
        "manage/<slug:slug>/questions/add/",
        views.manage_question_add,
        name="manage_question_add",
    ),
    path(
        "manage/<slug:slug>/questions/<int:question_id>/",
        views.manage_question,
        name="manage_question",
    ),
    path(
        "manage/<slug:slug>/questions/<int:question_id>/move/",
        views.manage_question_move,
        name="manage_question_move",
    ),
    path(
        "manage/<slug:slug>/questions/<int:question_id>/archive/",
        views.manage_question_archive,
        name="manage_question_archive",
    ),
    path(
        "manage/<slug:slug>/questions/<int:question_id>/restore/",
        views.manage_question_restore,
        name="manage_question_restore",
    ),
    path(
        "manage/<slug:slug>/questions/<int:question_id>/choices/add/",
        views.manage_choice_add,
        name="manage_choice_add",
    ),
    path("manage/<slug:slug>/choices/<int:choice_id>/", views.manage_choice, name="manage_choice"),
    path(
        "manage/<slug:slug>/choices/<int:choice_id>/move/",
        views.manage_choice_move,
        name="manage_choice_move",
    ),
    path(
        "manage/<slug:slug>/choices/<int:choice_id>/archive/",
        views.manage_choice_archive,
        name="manage_choice_archive",
    ),
    path(
        "manage/<slug:slug>/choices/<int:choice_id>/restore/",
        views.manage_choice_restore,
        name="manage_choice_restore",
    ),
    path("manage/<slug:slug>/preview/", views.manage_preview, name="manage_preview"),
    path("manage/<slug:slug>/invitations/", views.manage_invitations, name="manage_invitations"),
    path("manage/<slug:slug>/responses/", views.manage_responses, name="manage_responses"),
    path(
        "manage/<slug:slug>/responses/export-building/",
        views.manage_export_building,
        name="manage_export_building",
    ),
    path(
        "manage/<slug:slug>/responses/export.<str:fmt>",
        views.manage_export,
        name="manage_export",
    ),
    path(
        "manage/<slug:slug>/responses/<int:response_id>/",
        views.manage_response,
        name="manage_response",
    ),
    path(
        "manage/<slug:slug>/responses/<int:response_id>/delete/",
        views.manage_response_delete,
        name="manage_response_delete",
    ),
]
