"""Report pages: staff's live report with options, downloads, conclusions and publishing;
published snapshots at their permanent link.

Views parse input, call the engine, a selector or a service, and render. Anyone who
may not see a draft report gets 404, so other municipalities' surveys stay unseen.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopiena.core.permissions import require_perm
from kopiena.surveys.models import Response, Survey
from kopiena.surveys.selectors import survey_schema

from . import services
from .building import build_file, report_file
from .engine import ReportError, report_for, report_options
from .forms import ConclusionForm, PublishForm, ReportOptionsForm
from .models import PublishedReport
from .render import CONTENT_TYPES, RENDERERS
from .render.common import report_view
from .render.json import report_from_data
from .selectors import reading_report
from .tasks import build_report_file

FORMATS = ("pdf", "docx", "xlsx", "html", "json")
# Above this many responses, PDF and DOCX are built by a background task.
LARGE_SURVEY = 2000


SURVEYS = Survey.objects.select_related("municipality")


def _language() -> str:
    return (get_language() or "lv").split("-")[0]


def _options_form(request, survey: Survey) -> ReportOptionsForm:
    schema = survey_schema(survey)
    return ReportOptionsForm(request.GET or None, schema=schema, language=_language())


def _options(form: ReportOptionsForm) -> dict:
    return form.options() if form.is_bound and form.is_valid() else {}


def _query(options: dict) -> str:
    """The options back as the report page's query string."""
    pairs = {
        "segment": options.get("segment", ""),
        "answer": (options.get("answers") or [""])[0],
        "submitted_from": options.get("submitted_from", ""),
        "submitted_to": options.get("submitted_to", ""),
    }
    return urlencode({key: value for key, value in pairs.items() if value})


def _filename(survey: Survey, format: str) -> str:
    return f"{survey.slug}-rezultati.{format}"


@login_required
def survey_report(request, slug: str):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, "reports.view_report", survey, hide=True)
    # One snapshot, and memory for a large segment's hash: selectors.reading_report.
    with reading_report():
        return _report_page(request, survey)


def _report_page(request, survey: Survey):
    form = _options_form(request, survey)
    options = _options(form)
    try:
        report = report_for(survey, **report_options(language=_language(), **options))
    except ReportError as error:
        form.add_error(None, str(error))
        options = {}
        report = report_for(survey, language=_language())
    query = _query(options)
    view = report_view(report)
    section_names = [("", _("Visam pārskatam"))] + [
        (section.name, section.label) for section in report.sections if section.name
    ]
    conclusion_forms = [
        (
            label,
            ConclusionForm(
                initial={"section": name, "text": report.conclusions.get(name, "")},
                prefix=f"c{index}",
            ),
        )
        for index, (name, label) in enumerate(section_names)
    ]
    for label, conclusion_form in conclusion_forms:
        conclusion_form.fields["text"].label = _("Secinājumi: %(section)s") % {"section": label}
    return render(
        request,
        "reports/report_page.html",
        {
            "survey": survey,
            "form": form,
            "view": view,
            "query": query,
            "formats": FORMATS,
            "conclusion_forms": conclusion_forms,
            "publish_form": PublishForm(),
            "published": survey.published_reports.all()[:20],
            "can_edit": request.user.has_perm("reports.edit_report", survey),
        },
    )


@login_required
def survey_report_download(request, slug: str, format: str):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, "reports.view_report", survey, hide=True)
    if format not in RENDERERS:
        raise Http404
    form = _options_form(request, survey)
    options = _options(form)
    language = _language()
    try:
        report_options(**options)
    except (ReportError, ValueError):
        raise Http404 from None
    target = report_file(survey=survey, format=format, options=options, language=language)
    if not target.ready:
        large = Response.objects.filter(survey=survey).count() > LARGE_SURVEY
        if large and format in ("pdf", "docx"):
            target.start_building(
                lambda: build_report_file.enqueue(survey.pk, format, options, language), steps=3
            )
            if not target.ready:
                url = reverse("reports:building", args=[survey.slug, format])
                return redirect(f"{url}?{_query(options)}")
        else:
            build_file(survey_id=survey.pk, format=format, options=options, language=language)
    return FileResponse(
        target.path.open("rb"),
        as_attachment=format != "html",
        filename=_filename(survey, format),
        content_type=CONTENT_TYPES[format],
    )


@login_required
def survey_report_building(request, slug: str, format: str):
    """Progress of a report file being built in the background; refreshes itself."""
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, "reports.view_report", survey, hide=True)
    if format not in RENDERERS:
        raise Http404
    options = _options(_options_form(request, survey))
    target = report_file(survey=survey, format=format, options=options, language=_language())
    progress = target.progress() or {"step": 0, "steps": 3}
    download = reverse("reports:download", args=[survey.slug, format]) + f"?{_query(options)}"
    return render(
        request,
        "reports/building_status.html" if request.htmx else "reports/building.html",
        {
            "survey": survey,
            "format": format,
            "ready": target.ready,
            "progress": progress,
            "download": download,
        },
    )


@login_required
@require_POST
def survey_conclusions(request, slug: str):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, "reports.edit_report", survey, hide=True)
    index = request.POST.get("index", "0")
    form = ConclusionForm(request.POST, prefix=f"c{index}" if index.isdigit() else "c0")
    groups = {""} | {item.name for item in survey_schema(survey).items if item.type == "group"}
    if form.is_valid() and form.cleaned_data["section"] in groups:
        services.conclusion_save(
            survey=survey,
            section=form.cleaned_data["section"],
            text=form.cleaned_data["text"],
            actor=request.user,
        )
        messages.success(request, _("Secinājumi saglabāti."))
    else:
        messages.error(request, _("Secinājumus neizdevās saglabāt: pārbaudiet tekstu."))
    query = request.POST.get("query", "")
    return redirect(reverse("reports:survey", args=[survey.slug]) + (f"?{query}" if query else ""))


@login_required
@require_POST
def survey_publish(request, slug: str):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, "reports.edit_report", survey, hide=True)
    form = ReportOptionsForm(request.POST, schema=survey_schema(survey), language=_language())
    publish = PublishForm(request.POST)
    if not (form.is_valid() and publish.is_valid()):
        messages.error(request, _("Pārskatu neizdevās publicēt: pārbaudiet atlasi."))
        return redirect("reports:survey", survey.slug)
    try:
        published = services.report_publish(
            survey=survey,
            options=report_options(language=_language(), **form.options()),
            is_public=publish.cleaned_data["is_public"],
            actor=request.user,
        )
    except ReportError as error:
        messages.error(request, str(error))
        return redirect("reports:survey", survey.slug)
    messages.success(request, _("Pārskats publicēts. Šī saite nemainīsies."))
    return redirect("reports:published", published.uuid)


def _published(request, uuid) -> PublishedReport:
    published = get_object_or_404(PublishedReport.objects.select_related("survey"), uuid=uuid)
    require_perm(request, "reports.view_published", published, hide=True)
    return published


def published_report(request, uuid):
    published = _published(request, uuid)
    report = report_from_data(published.data)
    return render(
        request,
        "reports/published.html",
        {
            "published": published,
            "view": report_view(report),
            "formats": FORMATS,
            "can_manage": request.user.has_perm("reports.manage_published", published),
            "publish_form": PublishForm(initial={"is_public": published.is_public}),
        },
    )


def published_report_download(request, uuid, format: str):
    published = _published(request, uuid)
    if format not in RENDERERS:
        raise Http404
    out = io.BytesIO()
    RENDERERS[format](report_from_data(published.data), out)
    response = HttpResponse(out.getvalue(), content_type=CONTENT_TYPES[format])
    if format != "html":
        name = _filename(published.survey, format)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def published_report_visibility(request, uuid):
    published = _published(request, uuid)
    require_perm(request, "reports.manage_published", published, hide=True)
    form = PublishForm(request.POST)
    if form.is_valid():
        services.published_report_set_public(
            published=published, is_public=form.cleaned_data["is_public"]
        )
        messages.success(request, _("Pārskata pieejamība mainīta."))
    return redirect("reports:published", published.uuid)
