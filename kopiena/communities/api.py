"""The registry's public API: communities (/api/v1/communities/), with the fields and
filters the first hand-written API had. The private contacts never leave through it:
the schema lists the public fields, and nothing else is serialized."""

import datetime as dt

from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from kopiena.core.api import SearchText, Slug, conditional, filter_values, page_url, paged

from . import models, selectors

router = Router(tags=["communities"])


class Location(Schema):
    lat: float
    lon: float


class Community(Schema):
    """A community's public profile. Band codes are the reference survey's choice lists."""

    slug: str
    name: str
    municipality: str = Field(description="Municipality slug.")
    status: models.Community.Status
    neighbourhood: str
    location: Location | None
    population: models.Population | None = Field(description="Residents band.")
    founded_year: int | None
    years_active: models.YearsActive = Field(description="Age band, from the founding year.")
    legal_status: models.LegalStatus | None
    active_core: models.ActiveCore | None
    url: str = Field(description="The profile page.")

    @staticmethod
    def resolve_municipality(community: models.Community) -> str:
        return community.municipality.slug

    @staticmethod
    def resolve_location(community: models.Community) -> dict | None:
        if community.latitude is None or community.longitude is None:
            return None
        return {"lat": float(community.latitude), "lon": float(community.longitude)}

    @staticmethod
    def resolve_population(community: models.Community) -> str | None:
        return community.population or None

    @staticmethod
    def resolve_years_active(community: models.Community) -> str:
        return selectors.years_active_of(community)

    @staticmethod
    def resolve_legal_status(community: models.Community) -> str | None:
        return community.legal_status or None

    @staticmethod
    def resolve_active_core(community: models.Community) -> str | None:
        return community.active_core or None

    @staticmethod
    def resolve_url(community: models.Community) -> str:
        return page_url("communities:profile", community.slug)


class CommunityFilters(Schema):
    q: SearchText = Field("", description="Search; case and Latvian diacritics are ignored.")
    municipality: Slug | None = Field(None, description="Municipality slug.")
    population: models.Population | None = Field(None, description="Residents band.")
    years_active: models.YearsActive | None = Field(None, description="Age band.")
    legal_status: models.LegalStatus | None = Field(None, description="Legal form.")
    status: models.Community.Status | None = None


def communities_changed_at() -> dt.datetime:
    """The newest change of any community: a profile save sets `updated_at`, a merge (which
    deletes the duplicate) writes the kept one's history, and on 1 January every
    `years_active` band may move."""
    newest = models.Community.objects.aggregate(at=Max("updated_at"))["at"]
    history = models.ProfileChange.objects.aggregate(at=Max("created_at"))["at"]
    new_year = timezone.localtime().replace(
        month=1, day=1, hour=0, minute=0, second=0, microsecond=0
    )
    return max(time for time in (newest, history, new_year) if time is not None)


@router.get(
    "/",
    response=list[Community],
    url_name="communities",
    operation_id="listCommunities",
    summary="Communities in Latvian alphabetical order",
)
@paged(last_modified=communities_changed_at)
def communities(request, filters: Query[CommunityFilters]):
    return selectors.community_directory(selectors.DirectoryFilters(**filter_values(filters)))


@router.get(
    "/{slug}/",
    response=Community,
    url_name="community",
    operation_id="getCommunity",
    summary="One community",
)
@conditional()
def community(request, slug: Slug):
    return get_object_or_404(models.Community.objects.select_related("municipality"), slug=slug)
