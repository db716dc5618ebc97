"""Writes of the reports app: conclusions, publishing and unpublishing snapshots."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kopiena.surveys.models import Survey

from .engine import Report, report_for
from .models import PublishedReport, ReportConclusion
from .render.json import report_data
from .selectors import reading_report

MAX_CONCLUSION_CHARS = 20_000


class ConclusionError(ValueError):
    pass


@transaction.atomic
def conclusion_save(*, survey: Survey, section: str, text: str, actor=None) -> ReportConclusion:
    """Save (or clear) the conclusions of one section; "" is the whole report."""
    if len(text) > MAX_CONCLUSION_CHARS:
        raise ConclusionError(
            _("Secinājumi ir garāki par %(limit)s zīmēm.") % {"limit": MAX_CONCLUSION_CHARS}
        )
    conclusion, _created = ReportConclusion.objects.select_for_update().get_or_create(
        survey=survey, section=section
    )
    conclusion.text = text.strip()
    conclusion.updated_by = actor
    conclusion.save()
    return conclusion


@transaction.atomic
def report_publish(
    *, survey: Survey, options: dict, is_public: bool = False, actor=None
) -> PublishedReport:
    """Freeze the report as it is now (figures, open answers, conclusions) under a permanent link.

    `options` are `build_report`'s keyword arguments (segment, filters, language).
    """
    with reading_report():
        report: Report = report_for(survey, crosstab=bool(options.get("segment")), **options)
        data = report_data(report)
    return PublishedReport.objects.create(
        survey=survey,
        title=report.title,
        data=data,
        is_public=is_public,
        published_by=actor,
    )


@transaction.atomic
def published_report_set_public(*, published: PublishedReport, is_public: bool) -> PublishedReport:
    published.is_public = is_public
    published.save(update_fields=["is_public"])
    return published
