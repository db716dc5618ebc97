"""Staff pages of a response import: upload, preview and confirm, progress and result.

Only those who may import into the survey (`surveys.import_responses`) see these
pages; everyone else, signed in or not, gets 404, so that another municipality's
surveys are not revealed. The work is in services.imports.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kopiena.core.permissions import require_perm

from ..forms import ImportUploadForm, max_import_megabytes
from ..imports import FORMATS, TableError
from ..imports.columns import Problem
from ..models import ImportBatch, Survey
from ..services.imports import (
    ImportRejected,
    import_batch_columns,
    import_batch_confirm,
    import_batch_create,
    import_batch_processed,
)

IMPORT = "surveys.import_responses"
# The multipart envelope around the file: boundaries, the other fields.
ENVELOPE_BYTES = 64 * 1024
SURVEYS = Survey.objects.select_related("municipality")


def _batch(survey: Survey, batch_id: int) -> ImportBatch:
    return get_object_or_404(ImportBatch, pk=batch_id, survey=survey)


@require_http_methods(["GET", "POST"])
def import_upload(request, slug: str):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, IMPORT, survey, hide=True)
    too_large = int(request.META.get("CONTENT_LENGTH") or 0) > (
        settings.KOPIENA_MAX_IMPORT_BYTES + ENVELOPE_BYTES
    )
    if request.method == "POST" and too_large:
        # Refused from the declared length, before the body is read.
        refusal = _("Fails ir pārāk liels (ne vairāk kā %(size)s MB).") % {
            "size": max_import_megabytes()
        }
        context = {"survey": survey, "form": ImportUploadForm(), "refusal": refusal}
        return render(request, "surveys/import_upload.html", context, status=413)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch, _preview = import_batch_create(
                survey=survey,
                upload=form.cleaned_data["file"],
                format=form.cleaned_data["format"],
                strict=form.cleaned_data["strict"],
                actor=request.user,
            )
        except ImportRejected as rejected:
            for problem in rejected.result.problems:
                form.add_error("file", str(problem))
        else:
            return redirect("surveys:import_preview", slug=survey.slug, batch_id=batch.pk)
    return render(request, "surveys/import_upload.html", {"survey": survey, "form": form})


@require_http_methods(["GET", "POST"])
def import_preview(request, slug: str, batch_id: int):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, IMPORT, survey, hide=True)
    batch = _batch(survey, batch_id)
    if request.method == "POST":
        batch = import_batch_confirm(batch=batch, actor=request.user)
        return redirect("surveys:import_progress", slug=survey.slug, batch_id=batch.pk)
    if batch.status != ImportBatch.Status.PREVIEW:
        return redirect("surveys:import_progress", slug=survey.slug, batch_id=batch.pk)
    try:
        columns = import_batch_columns(batch=batch)
    except TableError as error:  # the stored file went missing or was damaged since
        columns = []
        batch.problems = [Problem(error.row, error.column, "", error.message).as_dict()]
    return render(
        request,
        "surveys/import_preview.html",
        {
            "survey": survey,
            "batch": batch,
            "format_label": FORMATS[batch.format].label,
            "columns": columns,
            "new_rows": batch.total_rows - batch.duplicate_rows,
        },
    )


def import_progress(request, slug: str, batch_id: int):
    survey = get_object_or_404(SURVEYS, slug=slug)
    require_perm(request, IMPORT, survey, hide=True)
    batch = _batch(survey, batch_id)
    running = batch.status in (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING)
    context = {
        "survey": survey,
        "batch": batch,
        "running": running,
        "processed": import_batch_processed(batch=batch),
    }
    if request.htmx:
        return render(request, "surveys/import_progress_status.html", context)
    return render(request, "surveys/import_progress.html", context)
