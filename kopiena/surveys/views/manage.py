"""Staff pages: a municipality's surveys, the questionnaire builder, invitations, responses.

Every page of one survey asks for `surveys.manage_survey` (or `surveys.view_responses`)
on that survey and answers 404 to anyone else, so that the existence of another
municipality's survey is not revealed. Views parse input, call one service or
selector and render; the work is in services/, selectors and exports.
"""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kopiena.core.forms import add_errors
from kopiena.core.permissions import require_perm
from kopiena.places.models import Municipality

from .. import export_files, exports
from ..exports import ExportOptions
from ..forms import (
    MAX_XLSFORM_BYTES,
    ChoiceForm,
    ExportForm,
    InvitationForm,
    QuestionForm,
    ResponseFilterForm,
    SurveyCreateForm,
    SurveySettingsForm,
    XLSFormUploadForm,
)
from ..models import Choice, Question, Response, Survey
from ..presenters import field_view
from ..questionnaire.schema import translated
from ..selectors import (
    ResponseFilters,
    builder_questions,
    response_detail,
    response_list,
    survey_answer_rules,
    survey_list_managed,
    survey_schema,
)
from ..services.invitations import invitation_create_for_communities
from ..services.questionnaires import XLSFormError, survey_export_xlsform, survey_import_xlsform
from ..services.questions import (
    choice_add,
    choice_archive,
    choice_move,
    choice_restore,
    choice_update,
    question_add,
    question_archive,
    question_has_answers,
    question_move,
    question_restore,
    question_update,
)
from ..services.responses import response_delete
from ..services.surveys import survey_close, survey_create, survey_publish, survey_update_settings
from ..tasks import build_export_file

RESPONSES_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MANAGE = "surveys.manage_survey"
VIEW_RESPONSES = "surveys.view_responses"
SURVEYS = Survey.objects.select_related("municipality")


def _question(survey: Survey, question_id: int) -> Question:
    return get_object_or_404(
        Question.objects.select_related("choice_list"), pk=question_id, survey=survey
    )


def _choice(survey: Survey, choice_id: int) -> Choice:
    return get_object_or_404(
        Choice.objects.select_related("choice_list"), pk=choice_id, choice_list__survey=survey
    )


def _creatable_municipalities(user):
    """The municipalities the user may create surveys for (the rule decides, per municipality)."""
    allowed = [
        municipality.pk
        for municipality in Municipality.objects.all()
        if user.has_perm("surveys.create_survey_for", municipality)
    ]
    return Municipality.objects.filter(pk__in=allowed)


def _direction(request) -> str:
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404
    return direction


# --- Surveys -------------------------------------------------------------------------


@login_required
def manage_list(request):
    if refused := require_perm(request, "surveys.add_survey"):
        return refused
    surveys = survey_list_managed(user=request.user)
    return render(request, "surveys/manage_list.html", {"surveys": surveys})


@login_required
@require_http_methods(["GET", "POST"])
def manage_new(request):
    if refused := require_perm(request, "surveys.add_survey"):
        return refused
    municipalities = _creatable_municipalities(request.user)
    form = SurveyCreateForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        try:
            survey = survey_create(
                title=form.title,
                municipality=form.cleaned_data["municipality"],
                actor=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Aptauja izveidota. Pievienojiet jautājumus."))
            return redirect("surveys:manage_questions", survey.slug)
    return render(request, "surveys/manage_new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def manage_upload(request):
    if refused := require_perm(request, "surveys.add_survey"):
        return refused
    municipalities = _creatable_municipalities(request.user)
    too_large = int(request.META.get("CONTENT_LENGTH") or 0) > MAX_XLSFORM_BYTES + 64 * 1024
    if request.method == "POST" and too_large:
        # Refused from the request's declared length, before its body is read.
        refusal = _("Fails ir pārāk liels (ne vairāk kā %(size)s MB).") % {
            "size": MAX_XLSFORM_BYTES // (1024 * 1024)
        }
        return render(
            request,
            "surveys/manage_upload.html",
            {"form": XLSFormUploadForm(municipalities=municipalities), "refusal": refusal},
            status=413,
        )
    form = XLSFormUploadForm(
        request.POST or None, request.FILES or None, municipalities=municipalities
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            survey = survey_import_xlsform(
                source=upload.read(),
                filename=upload.name,
                slug=form.cleaned_data["slug"] or None,
                municipality=form.cleaned_data["municipality"],
                actor=request.user,
            )
        except XLSFormError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("Veidlapa importēta."))
            return redirect("surveys:manage_detail", survey.slug)
    return render(request, "surveys/manage_upload.html", {"form": form})


@login_required
def manage_detail(request, slug):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, MANAGE, survey, hide=True)
    counts = {
        "complete": survey.responses.filter(status=Response.Status.COMPLETE).count(),
        "draft": survey.responses.filter(status=Response.Status.DRAFT).count(),
        "questions": survey.questions.filter(
            type__in=Question.ANSWERABLE_TYPES, is_archived=False
        ).count(),
        "invitations": survey.invitations.count(),
    }
    return render(
        request, "surveys/manage_detail.html", {"survey": survey, "counts": counts, "tab": "detail"}
    )


@login_required
@require_POST
def manage_status(request, slug):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, MANAGE, survey, hide=True)
    action = {"publish": survey_publish, "close": survey_close}.get(request.POST.get("action", ""))
    if action is None:
        raise Http404
    try:
        survey = action(survey=survey)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Aptaujas statuss: %(status)s.") % {"status": survey.get_status_display()}
        )
    return redirect("surveys:manage_detail", survey.slug)


@login_required
@require_http_methods(["GET", "POST"])
def manage_settings(request, slug):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, MANAGE, survey, hide=True)
    form = SurveySettingsForm(request.POST or None, initial=SurveySettingsForm.initial_for(survey))
    if request.method == "POST" and form.is_valid():
        try:
            survey_update_settings(survey=survey, settings=form.settings())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Iestatījumi saglabāti."))
            return redirect("surveys:manage_settings", survey.slug)
    return render(
        request, "surveys/manage_settings.html", {"survey": survey, "form": form, "tab": "settings"}
    )


@login_required
def manage_xlsform(request, slug):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, MANAGE, survey, hide=True)
    response = HttpResponse(survey_export_xlsform(survey=survey), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{survey.slug}.xlsx"'
    return response


# --- The questionnaire builder -------------------------------------------------------


@login_required
def manage_questions(request, slug):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, MANAGE, survey, hide=True)
    questions = builder_questions(survey)
    return render(
        request,
        "surveys/manage_questions.html",
        {
            "survey": survey,
            "questions": [q for q in questions if not q.is_archived],
            "archived": [q for q in questions if q.is_archived],
            "tab": "questions",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_question_add(request, slug):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, MANAGE, survey, hide=True)
    form = QuestionForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            question = question_add(survey=survey, data=form.data_for_service())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Jautājums pievienots."))
            if question.type in Question.CHOICE_TYPES:
                return redirect("surveys:manage_question", survey.slug, question.pk)
            return redirect("surveys:manage_questions", survey.slug)
    return render(
        request,
        "surveys/manage_question_form.html",
        {"survey": survey, "form": form, "tab": "questions"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_question(request, slug, question_id):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, MANAGE, survey, hide=True)
    question = _question(survey, question_id)
    form = QuestionForm(
        request.POST or None,
        survey=survey,
        question=question,
        locked=question_has_answers(question),
    )
    if request.method == "POST" and form.is_valid():
        try:
            question_update(question=question, data=form.data_for_service())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Jautājums saglabāts."))
            return redirect("surveys:manage_question", survey.slug, question.pk)
    return _question_page(request, survey, question, form)


def _question_page(request, survey, question, form, choice_form=None, status=200):
    choices = list(question.choice_list.choices.all()) if question.choice_list_id else []
    return render(
        request,
        "surveys/manage_question_form.html",
        {
            "survey": survey,
            "question": question,
            "form": form,
            "has_answers": question_has_answers(question),
            "choices": [choice for choice in choices if not choice.is_archived],
            "archived_choices": [choice for choice in choices if choice.is_archived],
            "shared_with": question.choice_list.questions.exclude(pk=question.pk)
            if question.choice_list_id
            else [],
            "choice_form": choice_form or ChoiceForm(prefix_id="new"),
            "tab": "questions",
        },
        status=status,
    )


@login_required
@require_POST
def manage_question_move(request, slug, question_id):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, MANAGE, survey, hide=True)
    question_move(question=_question(survey, question_id), direction=_direction(request))
    return redirect(reverse("surveys:manage_questions", args=[survey.slug]) + f"#q-{question_id}")


@login_required
@require_http_methods(["GET", "POST"])
def manage_question_archive(request, slug, question_id):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, MANAGE, survey, hide=True)
    question = _question(survey, question_id)
    if request.method == "POST":
        try:
            outcome = question_archive(question=question)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("surveys:manage_questions", survey.slug)
        if outcome == "archived":
            messages.success(
                request, _("Jautājums arhivēts: tas vairs netiek uzdots, bet atbildes saglabātas.")
            )
        else:
            messages.success(request, _("Jautājums dzēsts."))
        return redirect("surveys:manage_questions", survey.slug)
    return render(
        request,
        "surveys/manage_question_archive.html",
        {
            "survey": survey,
            "question": question,
            "has_answers": question_has_answers(question),
            "tab": "questions",
        },
    )


@login_required
@require_POST
def manage_question_restore(request, slug, question_id):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, MANAGE, survey, hide=True)
    question_restore(question=_question(survey, question_id))
    messages.success(request, _("Jautājums atkal tiek uzdots."))
    return redirect("surveys:manage_questions", survey.slug)


@login_required
@require_POST
def manage_choice_add(request, slug, question_id):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, MANAGE, survey, hide=True)
    question = _question(survey, question_id)
    if question.choice_list_id is None:
        raise Http404
    choice_form = ChoiceForm(request.POST, prefix_id="new")
    if choice_form.is_valid():
        try:
            choice_add(
                choice_list=question.choice_list,
                name=choice_form.cleaned_data["name"],
                label=choice_form.label,
            )
        except ValidationError as error:
            add_errors(choice_form, error)
        else:
            messages.success(request, _("Izvēle pievienota."))
            return redirect(
                reverse("surveys:manage_question", args=[survey.slug, question.pk]) + "#choices"
            )
    form = QuestionForm(survey=survey, question=question)
    return _question_page(request, survey, question, form, choice_form, status=400)


def _back_to_question(request, survey, choice):
    question = choice.choice_list.questions.order_by("position").first()
    if question is None:
        return redirect("surveys:manage_questions", survey.slug)
    return redirect(
        reverse("surveys:manage_question", args=[survey.slug, question.pk]) + "#choices"
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_choice(request, slug, choice_id):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, MANAGE, survey, hide=True)
    choice = _choice(survey, choice_id)
    form = ChoiceForm(
        request.POST or None,
        initial={
            "name": choice.name,
            "label_lv": choice.label.get("lv", ""),
            "label_en": choice.label.get("en", ""),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            choice_update(choice=choice, name=form.cleaned_data["name"], label=form.label)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Izvēle saglabāta."))
            return _back_to_question(request, survey, choice)
    return render(
        request,
        "surveys/manage_choice_form.html",
        {
            "survey": survey,
            "choice": choice,
            "form": form,
            "questions": choice.choice_list.questions.all(),
            "tab": "questions",
        },
    )


@login_required
@require_POST
def manage_choice_move(request, slug, choice_id):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, MANAGE, survey, hide=True)
    choice = _choice(survey, choice_id)
    choice_move(choice=choice, direction=_direction(request))
    return _back_to_question(request, survey, choice)


@login_required
@require_POST
def manage_choice_archive(request, slug, choice_id):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, MANAGE, survey, hide=True)
    choice = _choice(survey, choice_id)
    if choice_archive(choice=choice) == "archived":
        messages.success(
            request, _("Izvēle arhivēta: tā vairs netiek piedāvāta, bet atbildes saglabātas.")
        )
    else:
        messages.success(request, _("Izvēle dzēsta."))
    return _back_to_question(request, survey, choice)


@login_required
@require_POST
def manage_choice_restore(request, slug, choice_id):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, MANAGE, survey, hide=True)
    choice = _choice(survey, choice_id)
    choice_restore(choice=choice)
    messages.success(request, _("Izvēle atkal tiek piedāvāta."))
    return _back_to_question(request, survey, choice)


@login_required
def manage_preview(request, slug):
    """The public form's pages, drawn by the answering templates, every question shown."""
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, MANAGE, survey, hide=True)
    rules = survey_answer_rules(survey, fresh=True)
    language = get_language() or survey.default_language
    pages = [
        (
            page,
            translated(page.title, language),
            render_to_string(
                "surveys/answer_fields.html",
                {
                    "fields": [
                        field_view(rules, node, page, {}, {}, language) for node in page.nodes
                    ]
                },
            ),
        )
        for page in rules.pages
    ]
    return render(
        request,
        "surveys/manage_preview.html",
        {"survey": survey, "pages": pages, "tab": "preview"},
    )


# --- Invitations ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def manage_invitations(request, slug):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, MANAGE, survey, hide=True)
    form = InvitationForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        created = invitation_create_for_communities(
            survey=survey,
            communities=form.cleaned_data["communities"],
            labels=form.cleaned_data["labels"],
        )
        messages.success(
            request, _("Izveidotas ielūguma saites: %(count)s.") % {"count": len(created)}
        )
        return redirect("surveys:manage_invitations", survey.slug)
    invitations = survey.invitations.select_related("community", "response").order_by("label", "pk")
    return render(
        request,
        "surveys/manage_invitations.html",
        {
            "survey": survey,
            "form": form,
            "invitations": [
                (
                    invitation,
                    request.build_absolute_uri(
                        reverse("surveys:invitation", args=[survey.slug, invitation.token])
                    ),
                )
                for invitation in invitations
            ],
            "tab": "invitations",
        },
    )


# --- Responses -----------------------------------------------------------------------


@login_required
def manage_responses(request, slug):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, VIEW_RESPONSES, survey, hide=True)
    schema = survey_schema(survey)
    filter_form = ResponseFilterForm(request.GET or None, survey=survey, schema=schema)
    responses = response_list(survey=survey, filters=filter_form.filters())
    page = Paginator(responses, RESPONSES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "surveys/manage_responses.html",
        {
            "survey": survey,
            "filter_form": filter_form,
            "export_form": ExportForm(),
            "page": page,
            "query": query.urlencode(),
            "tab": "responses",
        },
    )


@login_required
def manage_response(request, slug, response_id):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, VIEW_RESPONSES, survey, hide=True)
    try:
        detail = response_detail(survey=survey, response_id=response_id)
    except Response.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "surveys/manage_response.html",
        {"survey": survey, "detail": detail, "tab": "responses"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_response_delete(request, slug, response_id):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, "surveys.delete_response", survey, hide=True)
    response = get_object_or_404(Response, pk=response_id, survey=survey)
    if request.method == "POST":
        response_delete(response=response)
        messages.success(request, _("Atbilde dzēsta."))
        return redirect("surveys:manage_responses", survey.slug)
    return render(
        request,
        "surveys/manage_response_delete.html",
        {"survey": survey, "response": response, "tab": "responses"},
    )


def _export_choices(request, survey: Survey) -> tuple[ResponseFilters, ExportOptions]:
    """The list's filter and the export's options, as the responses page submits them."""
    schema = survey_schema(survey)
    filters = ResponseFilterForm(request.GET, survey=survey, schema=schema).filters()
    return filters, ExportForm(request.GET).options()


def _xlsx(content, filename: str) -> FileResponse:
    return FileResponse(content, as_attachment=True, filename=filename, content_type=XLSX)


def _export_from_worker(request, survey: Survey, arguments: tuple[dict, dict], filename: str):
    """A large survey's XLSX: the file once the task worker has written it, until then
    the page showing how far it has got."""
    filters, options = arguments
    target = export_files.export_file(survey=survey, filters=filters, options=options)
    if target.ready:
        return _xlsx(target.path.open("rb"), filename)
    target.start_building(lambda: build_export_file.enqueue(survey.pk, filters, options))
    progress = reverse("surveys:manage_export_building", args=[survey.slug])
    return redirect(f"{progress}?{request.GET.urlencode()}")


@login_required
def manage_export_building(request, slug):
    """How far the task worker has got with a large survey's XLSX; htmx asks again."""
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, VIEW_RESPONSES, survey, hide=True)
    filters, options = export_files.export_arguments(*_export_choices(request, survey))
    target = export_files.export_file(survey=survey, filters=filters, options=options)
    query = request.GET.urlencode()
    template = "manage_export_status" if request.htmx else "manage_export_building"
    return render(
        request,
        f"surveys/{template}.html",
        {
            "survey": survey,
            "tab": "responses",
            "ready": target.ready,
            "progress": target.progress() or {"step": 0, "steps": 0},
            "download": reverse("surveys:manage_export", args=[survey.slug, "xlsx"])
            + (f"?{query}" if query else ""),
        },
    )


@login_required
def manage_export(request, slug, fmt):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, VIEW_RESPONSES, survey, hide=True)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    filename = f"{survey.slug}-atbildes.{fmt}"
    filters, options = _export_choices(request, survey)
    # CSV streams as it is written; a large survey's XLSX would outlast the request.
    if fmt == "xlsx" and export_files.export_in_background(survey):
        arguments = export_files.export_arguments(filters, options)
        return _export_from_worker(request, survey, arguments, filename)
    responses = response_list(survey=survey, filters=filters)
    rows = exports.table(survey_schema(survey), responses, options)
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.csv_lines(rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    # openpyxl writes the workbook to a temporary file, row by row, not in memory.
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    exports.write_xlsx(rows, output)
    output.seek(0)
    return _xlsx(output, filename)
