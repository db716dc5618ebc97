"""Report files kept on disk until the survey's responses or conclusions change.

The cache key holds the number of responses and the moment the last one changed,
so a new or edited response makes a new key; old files are simply never asked for
again. A file being built has a progress file beside it that the page polls.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Max
from django.utils import translation

from kopiena.surveys.models import Survey

from .engine import report_for, report_options
from .models import ReportConclusion
from .render import RENDERERS
from .selectors import reading_report, responses_version

EXTENSIONS = {"json": "json", "html": "html", "pdf": "pdf", "docx": "docx", "xlsx": "xlsx"}
# A build that has shown no progress for this long is taken as lost and started again.
STALE_SECONDS = 15 * 60


def cache_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "report-cache"


@dataclass(frozen=True)
class ReportFile:
    key: str
    format: str

    @property
    def path(self) -> Path:
        return cache_dir() / f"{self.key}.{EXTENSIONS[self.format]}"

    @property
    def progress_path(self) -> Path:
        return cache_dir() / f"{self.key}.progress"

    @property
    def ready(self) -> bool:
        return self.path.exists()

    def progress(self) -> dict | None:
        try:
            data = json.loads(self.progress_path.read_text())
        except (OSError, ValueError):
            return None
        if time.time() - data.get("at", 0) > STALE_SECONDS:
            return None
        return data

    def set_progress(self, step: int, steps: int) -> None:
        self.progress_path.parent.mkdir(parents=True, exist_ok=True)
        self.progress_path.write_text(json.dumps({"step": step, "steps": steps, "at": time.time()}))


def report_file(*, survey: Survey, format: str, options: dict, language: str) -> ReportFile:
    """Which file a report with these options is, for the survey's responses as they are now."""
    count, last = responses_version(survey)
    conclusions = ReportConclusion.objects.filter(survey=survey).aggregate(last=Max("updated_at"))
    source = json.dumps(
        [survey.pk, count, last, str(conclusions["last"]), format, options, language],
        sort_keys=True,
    )
    return ReportFile(hashlib.sha256(source.encode()).hexdigest()[:32], format)


def build_file(*, survey_id: int, format: str, options: dict, language: str) -> ReportFile:
    """Compute and render the report into its cache file (written whole, then renamed)."""
    survey = Survey.objects.get(pk=survey_id)
    target = report_file(survey=survey, format=format, options=options, language=language)
    if target.ready:
        return target
    target.set_progress(1, 3)
    with translation.override(language), reading_report():
        report = report_for(
            survey, crosstab=format == "xlsx", **report_options(language=language, **options)
        )
        target.set_progress(2, 3)
        handle, temporary = tempfile.mkstemp(dir=cache_dir(), suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                RENDERERS[format](report, out)
            os.replace(temporary, target.path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    target.progress_path.unlink(missing_ok=True)
    return target
