"""What good practice contributes to lower apps' services (kopiena.core.extensions)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kopiena.core.extensions import (
    CommunityMerge,
    DemoData,
    Figure,
    NotificationKind,
    PageBlock,
    SearchHit,
    SearchSource,
    WorkItem,
    WorkQueue,
)
from kopiena.core.text import fold, search_words
from kopiena.places.models import Municipality

from .demo import demo_load
from .models import Guide, PracticeCase, ReplicationRequest, ThreadMessage
from .selectors import cases_to_review, threads_waiting_for
from .services import THREAD


def _merge(source, target) -> dict[str, int]:
    """Cases, replication requests and their messages follow the community. A request the
    duplicate made for a case the target had asked about too is folded into the target's
    (its messages move there), so the thread stays one per case and community."""
    cases = PracticeCase.objects.filter(community=source).update(community=target)
    for request in ReplicationRequest.objects.filter(community=source):
        kept = ReplicationRequest.objects.filter(case=request.case_id, community=target).first()
        if kept is not None:
            ThreadMessage.objects.filter(request=request).update(request=kept)
            request.delete()
    requests = ReplicationRequest.objects.filter(community=source).update(community=target)
    ThreadMessage.objects.filter(community=source).update(community=target)
    return {_("labās prakses piemēri"): cases, _("pieredzes apmaiņas pieprasījumi"): requests}


def _published(municipality):
    cases = PracticeCase.objects.filter(status=PracticeCase.Status.PUBLISHED)
    return cases.filter(municipality=municipality) if municipality is not None else cases


def _highlights(request, municipality) -> dict[str, Any] | None:
    cases = list(
        _published(municipality)
        .select_related("community", "municipality")
        .order_by("-published_at", "-id")[:3]
    )
    if not cases and municipality is not None:
        return None
    return {"cases": cases, "municipality": municipality}


def _search_cases(query: str, limit: int) -> list[SearchHit]:
    found = (
        _published(None)
        .filter(search_words("search_key", query))
        .order_by("-published_at", "-id")[:limit]
    )
    return [
        SearchHit(c.title, reverse("practices:detail", args=[c.slug]), c.summary[:200])
        for c in found
    ]


def _search_guides(query: str, limit: int) -> list[SearchHit]:
    # A handful of guides: folding them here costs less than keeping a search column.
    words = query.split()
    hits = []
    for guide in Guide.objects.all():
        text = fold(" ".join([guide.title, guide.summary, guide.body]))
        if all(word in text for word in words):
            hits.append(
                SearchHit(guide.title, reverse("practices:guide", args=[guide.slug]), guide.summary)
            )
    return hits[:limit]


def _cases_to_review(user) -> list[WorkItem]:
    return [
        WorkItem(
            title=case.title,
            url=reverse("practices:review", args=[case.slug]),
            kind=_("labās prakses pārskatīšana"),
            detail=case.community.name if case.community_id else case.municipality.name,
        )
        for case in cases_to_review(user)[:50]
    ]


def _threads_waiting(user, *, for_municipality: bool) -> list[WorkItem]:
    return [
        WorkItem(
            title=_("„%(case)s”: atbildiet — %(other)s")
            % {"case": thread.case.title, "other": other},
            url=reverse("practices:thread", args=[thread.pk]),
            kind=_("pieredzes apmaiņa"),
        )
        for thread, side, other in threads_waiting_for(user)
        if isinstance(side, Municipality) == for_municipality
    ]


CONTRIBUTIONS = (
    DemoData(app_label="practices", load=demo_load),
    Figure(
        key="practices",
        label=gettext_lazy("labās prakses piemēri"),
        value=lambda municipality: _published(municipality).count(),
        order=20,
    ),
    PageBlock(
        key="practice_highlights",
        template="practices/block_highlights.html",
        context=_highlights,
        order=40,
    ),
    SearchSource(
        key="practices", label=gettext_lazy("Labā prakse"), search=_search_cases, order=20
    ),
    SearchSource(
        key="guides", label=gettext_lazy("Rokasgrāmatas"), search=_search_guides, order=30
    ),
    WorkQueue(
        key="practices_review",
        label=gettext_lazy("Labās prakses piemēri pārskatīšanai"),
        audience=WorkQueue.STAFF,
        items=_cases_to_review,
        order=20,
    ),
    NotificationKind(THREAD, gettext_lazy("Pieredzes apmaiņas sarunas")),
    WorkQueue(
        key="practices_threads_municipality",
        label=gettext_lazy("Pieredzes apmaiņas sarunas, kurās atbild pašvaldība"),
        audience=WorkQueue.STAFF,
        items=partial(_threads_waiting, for_municipality=True),
        order=25,
    ),
    WorkQueue(
        key="practices_threads",
        label=gettext_lazy("Pieredzes apmaiņas sarunas, kas gaida atbildi"),
        audience=WorkQueue.COORDINATOR,
        items=partial(_threads_waiting, for_municipality=False),
        order=20,
    ),
    CommunityMerge(app_label="practices", move=_merge),
)
