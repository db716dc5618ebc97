"""Report files kept on disk until the survey's responses or conclusions change
(kopiena/core/file_cache.py): the key holds the number of responses, the moment the last
one changed and when the conclusions last did."""

from __future__ import annotations

import hashlib
import json

from django.db.models import Max
from django.utils import translation

from kopiena.core.file_cache import CachedFile
from kopiena.surveys.models import Survey
from kopiena.surveys.selectors import responses_version

from .engine import report_for, report_options
from .models import ReportConclusion
from .render import RENDERERS
from .selectors import reading_report

EXTENSIONS = {"json": "json", "html": "html", "pdf": "pdf", "docx": "docx", "xlsx": "xlsx"}
FOLDER = "report-cache"


def report_file(*, survey: Survey, format: str, options: dict, language: str) -> CachedFile:
    """Which file a report with these options is, for the survey's responses as they are now."""
    count, last = responses_version(survey)
    conclusions = ReportConclusion.objects.filter(survey=survey).aggregate(last=Max("updated_at"))
    source = json.dumps(
        [survey.pk, count, last, str(conclusions["last"]), format, options, language],
        sort_keys=True,
    )
    return CachedFile(FOLDER, hashlib.sha256(source.encode()).hexdigest()[:32], EXTENSIONS[format])


def build_file(*, survey_id: int, format: str, options: dict, language: str) -> CachedFile:
    """Compute and render the report into its cache file."""
    survey = Survey.objects.get(pk=survey_id)
    target = report_file(survey=survey, format=format, options=options, language=language)
    if target.ready:
        return target
    target.set_progress(1, 3)
    with translation.override(language), reading_report():
        report = report_for(
            survey,
            crosstab=format == "xlsx",
            json_answers=format == "json",
            **report_options(language=language, **options),
        )
        target.set_progress(2, 3)
        with target.writing() as out:
            RENDERERS[format](report, out)
    return target
