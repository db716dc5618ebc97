"""Reads for the directory, the profile page, the API and the municipality's overview."""

from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from kopiena.core.extensions import CommunityIndicator, contributions
from kopiena.core.text import search_words
from kopiena.places.models import Municipality

from .models import Community, CommunityMembership, YearsActive


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    municipality: str = ""  # slug
    population: str = ""
    years_active: str = ""
    legal_status: str = ""
    status: str = ""


def years_active_q(code: str, today=None) -> Q:
    """The founding-year condition behind a survey `years_active` band."""
    year = (today or timezone.localdate()).year
    return {
        YearsActive.FORMING: Q(founded_year__isnull=True),
        YearsActive.UP_TO_3: Q(founded_year__gte=year - 3),
        YearsActive.FROM_3: Q(founded_year__lt=year - 3, founded_year__gte=year - 6),
        YearsActive.OVER_6: Q(founded_year__lt=year - 6),
    }.get(code, Q())


def years_active_of(community: Community, today=None) -> str:
    if community.founded_year is None:
        return YearsActive.FORMING
    age = (today or timezone.localdate()).year - community.founded_year
    if age <= 3:
        return YearsActive.UP_TO_3
    return YearsActive.FROM_3 if age <= 6 else YearsActive.OVER_6


def community_directory(filters: DirectoryFilters) -> QuerySet[Community]:
    """Communities matching the filters, in Latvian alphabetical order."""
    communities = Community.objects.select_related("municipality").only(
        "name",
        "slug",
        "status",
        "neighbourhood",
        "latitude",
        "longitude",
        "population",
        "founded_year",
        "legal_status",
        "active_core",
        "logo",
        "municipality__name",
        "municipality__slug",
    )
    communities = _filtered(communities, filters)
    return communities.order_by("sort_key", "id")


def _filtered(communities: QuerySet[Community], filters: DirectoryFilters) -> QuerySet[Community]:
    if filters.q:
        communities = communities.filter(search_words("search_key", filters.q))
    if filters.municipality:
        communities = communities.filter(municipality__slug=filters.municipality)
    if filters.population:
        communities = communities.filter(population=filters.population)
    if filters.years_active:
        communities = communities.filter(years_active_q(filters.years_active))
    if filters.legal_status:
        communities = communities.filter(legal_status=filters.legal_status)
    if filters.status:
        communities = communities.filter(status=filters.status)
    return communities


def community_coordinators(community: Community) -> QuerySet[CommunityMembership]:
    return community.memberships.filter(role=CommunityMembership.Role.COORDINATOR).select_related(
        "user"
    )


def community_overview(
    municipality: Municipality, *, sort: str = "name", filters: DirectoryFilters | None = None
) -> QuerySet[Community]:
    """The municipality's communities with their activity and the indicators other apps
    contribute (whether a community answered a survey, …), all in one query."""
    indicators = {indicator.key: indicator.expression() for indicator in community_indicators()}
    communities = (
        _filtered(
            Community.objects.filter(municipality=municipality), filters or DirectoryFilters()
        )
        .annotate(
            member_count=Count("memberships", distinct=True),
            last_change=Max("changes__created_at"),
            **indicators,
        )
        .annotate(last_activity=Greatest("updated_at", Coalesce("last_change", "updated_at")))
    )
    orderings = {
        "name": ["sort_key", "id"],
        "-name": ["-sort_key", "-id"],
        "founded": ["founded_year", "sort_key"],
        "-founded": ["-founded_year", "sort_key"],
        "activity": ["last_activity", "sort_key"],
        "-activity": ["-last_activity", "sort_key"],
        "members": ["member_count", "sort_key"],
        "-members": ["-member_count", "sort_key"],
    }
    return communities.order_by(*orderings.get(sort, orderings["name"]))


def community_indicators() -> list[CommunityIndicator]:
    return sorted(contributions(CommunityIndicator), key=lambda indicator: indicator.order)


OVERVIEW_SORTS = (
    "name",
    "-name",
    "founded",
    "-founded",
    "activity",
    "-activity",
    "members",
    "-members",
)


def community_survey_prefill(community: Community) -> dict[str, str]:
    """Answers the profile already holds, by the reference survey's question names.

    The survey form offers them as initial values; the respondent may change them.
    """
    values = {
        "community_name": community.name,
        "municipality": community.municipality.slug,
        "population": community.population,
        "years_active": years_active_of(community),
        "legal_status": community.legal_status,
        "start_trigger": community.start_trigger,
        "active_core": community.active_core,
    }
    return {name: value for name, value in values.items() if value}


# The facts of a profile the directory, the map and the surveys' prefill rely on (a missing
# founding year means "still forming", an answer in itself).
PROFILE_FACTS = (
    "neighbourhood",
    "latitude",
    "population",
    "legal_status",
    "active_core",
    "start_trigger",
    "description",
    "public_email",
)


def profile_completeness(user) -> list[tuple[Community, int, list[str]]]:
    """For each community the person coordinates: the share of facts filled in (percent)
    and the labels of those missing."""
    result = []
    communities = Community.objects.filter(
        memberships__user=user, memberships__role=CommunityMembership.Role.COORDINATOR
    ).order_by("sort_key", "id")
    for community in communities:
        missing = [
            str(Community._meta.get_field(name).verbose_name)
            for name in PROFILE_FACTS
            if getattr(community, name) in (None, "")
        ]
        share = round(100 * (len(PROFILE_FACTS) - len(missing)) / len(PROFILE_FACTS))
        result.append((community, share, missing))
    return result
