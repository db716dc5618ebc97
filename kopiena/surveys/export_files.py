"""XLSX exports of large surveys, built by the task worker and kept until the responses
change (kopiena/core/file_cache.py). openpyxl writes some 3,500 responses a second
(20,000 of the reference questionnaire in 6 s), so 100,000 would outlast a request."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict

from kopiena.core.file_cache import CachedFile

from . import exports
from .exports import ExportOptions
from .models import Response, Survey
from .selectors import ResponseFilters, response_list, responses_version, survey_schema

FOLDER = "export-cache"
# Surveys with more responses than this get their XLSX export from the task worker.
IN_BACKGROUND = 5000
PROGRESS_EVERY = 1000


def export_in_background(survey: Survey) -> bool:
    return Response.objects.filter(survey=survey).count() > IN_BACKGROUND


def export_arguments(filters: ResponseFilters, options: ExportOptions) -> tuple[dict, dict]:
    """The filters and options as the task queue carries them (JSON)."""
    plain = {
        name: value.isoformat() if isinstance(value, dt.date) else value
        for name, value in asdict(filters).items()
    }
    return plain, asdict(options)


def _filters(plain: dict) -> ResponseFilters:
    dates = {
        name: dt.date.fromisoformat(plain[name]) if plain.get(name) else None
        for name in ("submitted_from", "submitted_to")
    }
    return ResponseFilters(**{**plain, **dates})


def export_file(*, survey: Survey, filters: dict, options: dict) -> CachedFile:
    """Which file the export with these filters and options is, for the responses as they
    are now (`filters` and `options` as export_arguments gives them)."""
    count, last = responses_version(survey)
    source = json.dumps([survey.pk, count, last, filters, options], sort_keys=True)
    return CachedFile(FOLDER, hashlib.sha256(source.encode()).hexdigest()[:32], "xlsx")


def build_export(*, survey_id: int, filters: dict, options: dict) -> CachedFile:
    """Write the export into its cache file, saying how many responses are written."""
    survey = Survey.objects.get(pk=survey_id)
    target = export_file(survey=survey, filters=filters, options=options)
    if target.ready:
        return target
    responses = response_list(survey=survey, filters=_filters(filters))
    total = responses.count()
    target.set_progress(0, total)

    def counted(rows: Iterator) -> Iterator:
        for number, row in enumerate(rows):  # the header, then one row per response
            if number and number % PROGRESS_EVERY == 0:
                target.set_progress(number, total)
            yield row

    rows = exports.table(survey_schema(survey), responses, ExportOptions(**options))
    with target.writing() as out:
        exports.write_xlsx(counted(rows), out)
    return target
