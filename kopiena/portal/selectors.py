"""Reads for the pages the portal composes from every app's contributions: the home page,
municipality hubs, the dashboards and the site-wide search."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest

from kopiena.communities.models import CommunityMembership
from kopiena.core.extensions import (
    Figure,
    PageBlock,
    SearchHit,
    SearchSource,
    WorkItem,
    WorkQueue,
    contributions,
)
from kopiena.core.text import fold
from kopiena.places.models import Municipality

SEARCH_HITS_PER_SOURCE = 8


@dataclass(frozen=True)
class RenderedBlock:
    key: str
    template: str
    context: dict[str, Any]


def page_blocks(
    request: HttpRequest, municipality: Municipality | None = None
) -> list[RenderedBlock]:
    """The blocks with something to show, in order: on the home page (no municipality) or
    on a municipality's hub page."""
    blocks = []
    for block in sorted(contributions(PageBlock), key=lambda b: b.order):
        if not (block.on_hub if municipality is not None else block.on_home):
            continue
        context = block.context(request, municipality)
        if context is not None:
            blocks.append(RenderedBlock(block.key, block.template, dict(context)))
    return blocks


@dataclass(frozen=True)
class FigureValue:
    key: str
    label: Any
    value: int


def figures(municipality: Municipality | None = None) -> list[FigureValue]:
    return [
        FigureValue(figure.key, figure.label, figure.value(municipality))
        for figure in sorted(contributions(Figure), key=lambda f: f.order)
    ]


def municipalities_with_communities() -> QuerySet[Municipality]:
    """Every municipality with how many communities it has, those with any first."""
    return Municipality.objects.annotate(community_count=Count("communities")).order_by(
        "-community_count", "name"
    )


def municipality_hub(slug: str) -> Municipality:
    return Municipality.objects.get(slug=slug)


@dataclass(frozen=True)
class FilledQueue:
    key: str
    label: Any
    items: list[WorkItem]


def work_queues(user, *, audience: str) -> list[FilledQueue]:
    """What waits for the person on one dashboard, queue by queue (empty ones left out)."""
    queues = []
    for queue in sorted(contributions(WorkQueue), key=lambda q: q.order):
        if queue.audience != audience:
            continue
        items = queue.items(user)
        if items:
            queues.append(FilledQueue(queue.key, queue.label, items))
    return queues


@dataclass(frozen=True)
class SearchResults:
    query: str
    groups: list[tuple[Any, list[SearchHit]]]

    @property
    def total(self) -> int:
        return sum(len(hits) for _label, hits in self.groups)


def search(query: str) -> SearchResults:
    """Every contributed source searched for the folded query's words, best hits first."""
    folded = fold(query)[:100]
    if not folded:
        return SearchResults(query, [])
    groups = []
    for source in sorted(contributions(SearchSource), key=lambda s: s.order):
        hits = source.search(folded, SEARCH_HITS_PER_SOURCE)
        if hits:
            groups.append((source.label, hits))
    return SearchResults(query, groups)


def coordinates_a_community(user) -> bool:
    return CommunityMembership.objects.filter(
        user=user, role=CommunityMembership.Role.COORDINATOR
    ).exists()
