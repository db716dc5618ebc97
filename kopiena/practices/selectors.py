"""Reads for the library, a case's page, the review queue, threads and guides."""

import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.safestring import SafeString
from django.utils.text import slugify

from kopiena.accounts.models import User
from kopiena.accounts.rules import staff_municipality_ids
from kopiena.communities.models import Community, CommunityMembership
from kopiena.communities.rules import is_member
from kopiena.core.text import fold, render_markdown, search_words
from kopiena.places.models import Municipality

from .models import Guide, PracticeCase, ReplicationRequest


@dataclass(frozen=True)
class LibraryFilters:
    q: str = ""
    instrument: str = ""
    municipality: str = ""  # slug
    topic: str = ""


def case_library(filters: LibraryFilters) -> QuerySet[PracticeCase]:
    """Published cases matching the filters, newest first, with their request counts."""
    cases = PracticeCase.objects.filter(status=PracticeCase.Status.PUBLISHED)
    if filters.q:
        cases = cases.filter(search_words("search_key", filters.q))
    if filters.instrument:
        cases = cases.filter(instruments__code=filters.instrument)
    if filters.municipality:
        cases = cases.filter(municipality__slug=filters.municipality)
    if filters.topic:
        cases = cases.filter(topic=filters.topic)
    return (
        cases.select_related("community", "municipality")
        .annotate(request_count=Count("replication_requests", distinct=True))
        .order_by("-published_at", "-id")
    )


def library_municipalities() -> QuerySet[Municipality]:
    """Municipalities with at least one published case, for the library's filter."""
    return Municipality.objects.filter(
        practice_cases__status=PracticeCase.Status.PUBLISHED
    ).distinct()


def case_detail(slug: str) -> PracticeCase:
    return (
        PracticeCase.objects.select_related("community", "municipality")
        .prefetch_related("instruments", "photos")
        .annotate(request_count=Count("replication_requests", distinct=True))
        .get(slug=slug)
    )


def cases_to_review(user: User) -> QuerySet[PracticeCase]:
    cases = PracticeCase.objects.filter(status=PracticeCase.Status.SUBMITTED)
    if not user.is_superuser:
        cases = cases.filter(municipality_id__in=staff_municipality_ids(user))
    return cases.select_related("community", "municipality").order_by("updated_at", "id")


def cases_of_user(user: User) -> QuerySet[PracticeCase]:
    """Cases of the communities the user coordinates, in every status."""
    return (
        PracticeCase.objects.filter(
            community__memberships__user=user,
            community__memberships__role=CommunityMembership.Role.COORDINATOR,
        )
        .select_related("community")
        .order_by("-updated_at", "-id")
    )


def coordinated_communities(user: User) -> QuerySet[Community]:
    if not user.is_authenticated:
        return Community.objects.none()
    return Community.objects.filter(
        memberships__user=user, memberships__role=CommunityMembership.Role.COORDINATOR
    ).order_by("sort_key", "id")


def threads_of_user(user: User) -> QuerySet[ReplicationRequest]:
    """Replication threads where the user belongs to either side: a member of one of the
    communities, or staff of the municipality that answers for a case no community wrote."""
    sides = Q(community__memberships__user=user) | Q(case__community__memberships__user=user)
    staff_of = staff_municipality_ids(user)
    if staff_of:
        sides |= Q(case__community__isnull=True, case__municipality_id__in=staff_of)
    return (
        ReplicationRequest.objects.filter(sides)
        .select_related("case", "community", "case__community", "case__municipality")
        .distinct()
        .order_by("-created_at", "-id")
    )


def threads_waiting_for(
    user: User,
) -> list[tuple[ReplicationRequest, Community | Municipality, str]]:
    """Threads where the other side spoke last (or asked and no one answered yet), with the
    person's side and the other side's name: the person's side owes a reply."""
    waiting = []
    for thread in threads_of_user(user).prefetch_related("messages"):
        side = thread_side(user, thread)
        if side is None:
            continue
        messages = list(thread.messages.all())
        if messages:
            last = messages[-1]
            spoke_last = last.community or last.municipality
            if (type(spoke_last), spoke_last.pk) == (type(side), side.pk):
                continue
        asking = thread.community
        other = asking if side != asking else (thread.case.community or thread.case.municipality)
        waiting.append((thread, side, other.name))
    return waiting


def thread_detail(pk: int) -> ReplicationRequest:
    return ReplicationRequest.objects.select_related("case", "case__community", "community").get(
        pk=pk
    )


def thread_side(
    user: User, replication_request: ReplicationRequest
) -> Community | Municipality | None:
    """The side the user may reply for in this thread, or None.

    Matches services.thread_message_post: one of the thread's two communities, of which
    the user is a member, or — for a case no community wrote — the case's municipality,
    for its staff. Platform admins who belong to neither get None.
    """
    if not user.is_authenticated:
        return None
    case = replication_request.case
    for community in (replication_request.community, case.community):
        if community is not None and is_member(user, community):
            return community
    if case.community_id is None and case.municipality_id in staff_municipality_ids(user):
        return case.municipality
    return None


@dataclass(frozen=True)
class GuideSection:
    anchor: str
    heading: str
    html: SafeString


_HEADING = re.compile(r"^## +(.+?)\s*#*\s*$", re.MULTILINE)


def guide_sections(guide: Guide) -> tuple[SafeString, list[GuideSection]]:
    """The guide's introduction and its "## " sections, each with a stable anchor.

    Sections are split here rather than given ids in the HTML, so the registry's
    Markdown allow-list (no id attributes) stays as strict as it is.
    """
    parts = _HEADING.split(guide.body)
    intro, rest = parts[0], parts[1:]
    sections, used = [], set()
    for heading, text in zip(rest[::2], rest[1::2], strict=True):
        anchor = slugify(fold(heading))[:80] or "sadala"
        base, n = anchor, 1
        while anchor in used:
            n += 1
            anchor = f"{base}-{n}"
        used.add(anchor)
        sections.append(GuideSection(anchor=anchor, heading=heading, html=render_markdown(text)))
    return render_markdown(intro), sections
