"""The good-practice library in the public API (/api/v1/practices/): published cases only,
with the library page's filters. Drafts, cases under review and returned cases are never
listed nor found. A case's contact person is left out: the case's page shows it to people,
the API would hand the addresses to every harvester."""

import datetime as dt

from django.db.models import Max
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from kopiena.core.api import (
    SearchText,
    Slug,
    conditional,
    filter_values,
    media_url,
    page_url,
    paged,
)

from . import models, selectors

router = Router(tags=["practices"])


class PracticeCase(Schema):
    """A published good-practice case. Instrument codes are the reference survey's."""

    slug: str
    title: str
    summary: str
    topic: models.Topic
    instruments: list[models.Instrument]
    community: str | None = Field(description="The community's slug, if a community wrote it.")
    municipality: str | None = Field(description="Municipality slug.")
    cost: str
    funding_source: str
    outcome: str
    source_note: str = Field(description="Where a case from the survey comes from.")
    published_at: dt.datetime
    url: str = Field(description="The case's page.")

    @staticmethod
    def resolve_instruments(case: models.PracticeCase) -> list[str]:
        return [instrument.code for instrument in case.instruments.all()]

    @staticmethod
    def resolve_community(case: models.PracticeCase) -> str | None:
        return case.community.slug if case.community else None

    @staticmethod
    def resolve_municipality(case: models.PracticeCase) -> str | None:
        return case.municipality.slug if case.municipality else None

    @staticmethod
    def resolve_url(case: models.PracticeCase) -> str:
        return page_url("practices:detail", case.slug)


class Photo(Schema):
    url: str
    caption: str

    @staticmethod
    def resolve_url(photo: models.CasePhoto) -> str:
        return media_url(photo.file)


class PracticeCaseDetail(PracticeCase):
    story: str = Field(description="The case's story, in Markdown.")
    photos: list[Photo]


class CaseFilters(Schema):
    q: SearchText = Field("", description="Search; case and Latvian diacritics are ignored.")
    instrument: models.Instrument | None = Field(None, description="Support instrument.")
    municipality: Slug | None = Field(None, description="Municipality slug.")
    topic: models.Topic | None = None


def cases_changed_at() -> dt.datetime | None:
    """The newest change of any case: every service that writes a case, publishes it or
    takes it back sets `updated_at`, so a case leaving the published list counts too."""
    return models.PracticeCase.objects.aggregate(at=Max("updated_at"))["at"]


def _published(filters: CaseFilters | None = None):
    library = selectors.LibraryFilters(**filter_values(filters))
    return selectors.case_library(library).prefetch_related("instruments")


@router.get(
    "/",
    response=list[PracticeCase],
    url_name="practices",
    operation_id="listPracticeCases",
    summary="Published good-practice cases, newest first",
)
@paged(last_modified=cases_changed_at)
def practices(request, filters: Query[CaseFilters]):
    return _published(filters)


@router.get(
    "/{slug}/",
    response=PracticeCaseDetail,
    url_name="practice",
    operation_id="getPracticeCase",
    summary="One published good-practice case",
)
@conditional()
def practice(request, slug: Slug):
    return get_object_or_404(_published().prefetch_related("photos"), slug=slug)
