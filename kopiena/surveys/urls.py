"""Survey URLs: staff's pages under manage/, a survey's public pages at its slug.

Every fixed first segment here ("manage") is a word no survey's slug may be
(`services.surveys.SURVEY_SLUGS`): /surveys/<slug>/ would lead to that page instead.
"""

from django.urls import path

from .views import answer, imports, manage

app_name = "surveys"
urlpatterns = [
    # Staff: the surveys, the builder, invitations, responses and their exports.
    path("manage/", manage.manage_list, name="manage_list"),
    path("manage/new/", manage.manage_new, name="manage_new"),
    path("manage/upload/", manage.manage_upload, name="manage_upload"),
    path("manage/<slug:slug>/", manage.manage_detail, name="manage_detail"),
    path("manage/<slug:slug>/status/", manage.manage_status, name="manage_status"),
    path("manage/<slug:slug>/settings/", manage.manage_settings, name="manage_settings"),
    path("manage/<slug:slug>/xlsform.xlsx", manage.manage_xlsform, name="manage_xlsform"),
    path("manage/<slug:slug>/questions/", manage.manage_questions, name="manage_questions"),
    path(
        "manage/<slug:slug>/questions/add/",
        manage.manage_question_add,
        name="manage_question_add",
    ),
    path(
        "manage/<slug:slug>/questions/<int:question_id>/",
        manage.manage_question,
        name="manage_question",
    ),
    path(
        "manage/<slug:slug>/questions/<int:question_id>/move/",
        manage.manage_question_move,
        name="manage_question_move",
    ),
    path(
        "manage/<slug:slug>/questions/<int:question_id>/archive/",
        manage.manage_question_archive,
        name="manage_question_archive",
    ),
    path(
        "manage/<slug:slug>/questions/<int:question_id>/restore/",
        manage.manage_question_restore,
        name="manage_question_restore",
    ),
    path(
        "manage/<slug:slug>/questions/<int:question_id>/choices/add/",
        manage.manage_choice_add,
        name="manage_choice_add",
    ),
    path("manage/<slug:slug>/choices/<int:choice_id>/", manage.manage_choice, name="manage_choice"),
    path(
        "manage/<slug:slug>/choices/<int:choice_id>/move/",
        manage.manage_choice_move,
        name="manage_choice_move",
    ),
    path(
        "manage/<slug:slug>/choices/<int:choice_id>/archive/",
        manage.manage_choice_archive,
        name="manage_choice_archive",
    ),
    path(
        "manage/<slug:slug>/choices/<int:choice_id>/restore/",
        manage.manage_choice_restore,
        name="manage_choice_restore",
    ),
    path("manage/<slug:slug>/preview/", manage.manage_preview, name="manage_preview"),
    path("manage/<slug:slug>/invitations/", manage.manage_invitations, name="manage_invitations"),
    path("manage/<slug:slug>/responses/", manage.manage_responses, name="manage_responses"),
    path(
        "manage/<slug:slug>/responses/export-building/",
        manage.manage_export_building,
        name="manage_export_building",
    ),
    path(
        "manage/<slug:slug>/responses/export.<str:fmt>",
        manage.manage_export,
        name="manage_export",
    ),
    path(
        "manage/<slug:slug>/responses/<int:response_id>/",
        manage.manage_response,
        name="manage_response",
    ),
    path(
        "manage/<slug:slug>/responses/<int:response_id>/delete/",
        manage.manage_response_delete,
        name="manage_response_delete",
    ),
    # Staff: importing responses collected elsewhere.
    path("manage/<slug:slug>/import/", imports.import_upload, name="import_upload"),
    path(
        "manage/<slug:slug>/import/<int:batch_id>/",
        imports.import_preview,
        name="import_preview",
    ),
    path(
        "manage/<slug:slug>/import/<int:batch_id>/progress/",
        imports.import_progress,
        name="import_progress",
    ),
    # The public: answering a survey.
    path("<slug:slug>/", answer.answer, name="answer"),
    path("<slug:slug>/i/<str:token>/", answer.invitation, name="invitation"),
    path("<slug:slug>/resume/<str:token>/", answer.resume, name="resume"),
    path("<slug:slug>/resume/<str:token>/email/", answer.resume_email, name="resume_email"),
    path("<slug:slug>/thanks/", answer.thanks, name="thanks"),
]
