"""Published survey reports in the public API (/api/v1/reports/): the snapshots staff made
public, each with the links to its downloads. A report published for staff only
(`is_public` unset) is never listed nor found: the same rule as `reports.view_published`
for someone who does not manage the survey."""

import datetime as dt
from uuid import UUID

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from kopiena.core.api import Slug, conditional, page_url, paged

from . import models
from .render import CONTENT_TYPES

router = Router(tags=["reports"])


class Download(Schema):
    format: str = Field(description="json, html, pdf, docx or xlsx.")
    content_type: str
    url: str


class PublishedReport(Schema):
    """A results report frozen when it was published; its figures never change."""

    uuid: UUID
    title: str
    survey: str = Field(description="The survey's slug.")
    municipality: str | None = Field(description="Slug of the survey's municipality.")
    published_at: dt.datetime
    url: str = Field(description="The report's page.")
    downloads: list[Download]

    @staticmethod
    def resolve_survey(report: models.PublishedReport) -> str:
        return report.survey.slug

    @staticmethod
    def resolve_municipality(report: models.PublishedReport) -> str | None:
        municipality = report.survey.municipality
        return municipality.slug if municipality else None

    @staticmethod
    def resolve_url(report: models.PublishedReport) -> str:
        return page_url("reports:published", report.uuid)

    @staticmethod
    def resolve_downloads(report: models.PublishedReport) -> list[dict]:
        return [
            {
                "format": format,
                "content_type": content_type,
                "url": page_url("reports:published_download", report.uuid, format),
            }
            for format, content_type in CONTENT_TYPES.items()
        ]


class ReportFilters(Schema):
    municipality: Slug | None = Field(None, description="Slug of the survey's municipality.")
    survey: Slug | None = Field(None, description="The survey's slug.")


def _public_reports():
    return models.PublishedReport.objects.filter(is_public=True).select_related(
        "survey", "survey__municipality"
    )


@router.get(
    "/",
    response=list[PublishedReport],
    url_name="reports",
    operation_id="listPublishedReports",
    summary="Public published reports, newest first",
)
@paged()
def reports(request, filters: Query[ReportFilters]):
    found = _public_reports()
    if filters.municipality:
        found = found.filter(survey__municipality__slug=filters.municipality)
    if filters.survey:
        found = found.filter(survey__slug=filters.survey)
    return found.order_by("-published_at", "-id")


@router.get(
    "/{uuid}/",
    response=PublishedReport,
    url_name="report",
    operation_id="getPublishedReport",
    summary="One public published report",
)
@conditional()
def report(request, uuid: UUID):
    return get_object_or_404(_public_reports(), uuid=uuid)
