"""What the network contributes to lower apps' services (kopiena.core.extensions)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kopiena.core.extensions import (
    CommunityMerge,
    DemoData,
    NotificationKind,
    PageBlock,
    SearchHit,
    SearchSource,
    WorkItem,
    WorkQueue,
)
from kopiena.core.text import search_words

from .demo import demo_load
from .models import Follow, NewsPost
from .selectors import FeedFilters, flag_queue, news_feed
from .services import COMMENT, NEWS


def _merge(source, target) -> dict[str, int]:
    """News follows the community; a follower of both keeps one follow."""
    posts = NewsPost.objects.filter(community=source).update(community=target)
    following_target = Follow.objects.filter(community=target).values("user")
    Follow.objects.filter(community=source, user__in=following_target).delete()
    Follow.objects.filter(community=source).update(community=target)
    return {_("ziņas"): posts}


def _latest_news(request, municipality) -> dict[str, Any] | None:
    filters = FeedFilters(municipality=municipality.slug if municipality is not None else "")
    posts = list(news_feed(filters)[:5])
    if not posts and municipality is not None:
        return None
    return {"posts": posts, "municipality": municipality}


def _search(query: str, limit: int) -> list[SearchHit]:
    found = (
        NewsPost.objects.filter(search_words("search_key", query), hidden_at__isnull=True)
        .select_related("community", "municipality")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        SearchHit(post.title, reverse("network:post", args=[post.pk]), post.publisher_name)
        for post in found
    ]


def _flags(user) -> list[WorkItem]:
    return [
        WorkItem(
            title=flag.post.title if flag.post_id else flag.comment.post.title,
            url=reverse("network:moderation"),
            kind=_("atzīmēts saturs"),
            detail=flag.reason,
        )
        for flag in flag_queue(user)[:50]
    ]


CONTRIBUTIONS = (
    DemoData(app_label="network", load=demo_load),
    CommunityMerge(app_label="network", move=_merge),
    PageBlock(
        key="latest_news", template="network/block_news.html", context=_latest_news, order=30
    ),
    SearchSource(key="news", label=gettext_lazy("Ziņas"), search=_search, order=40),
    WorkQueue(
        key="network_flags",
        label=gettext_lazy("Atzīmētās ziņas un komentāri"),
        audience=WorkQueue.STAFF,
        items=_flags,
        order=30,
    ),
    NotificationKind(NEWS, gettext_lazy("Ziņas no kopienām un tēmām, kurām sekojat")),
    NotificationKind(COMMENT, gettext_lazy("Komentāri pie jūsu ziņām")),
)
