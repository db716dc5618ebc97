"""Reads for the news feed, a post's page, syndication, notifications and moderation."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from kopiena.accounts.models import User
from kopiena.accounts.rules import staff_municipality_ids
from kopiena.communities.models import Community
from kopiena.places.models import Municipality
from kopiena.practices.selectors import coordinated_communities

from .models import Comment, Flag, Follow, NewsPost

FEED_LIMIT = 30


@dataclass(frozen=True)
class FeedFilters:
    municipality: str = ""  # slug
    community: str = ""  # slug
    topic: str = ""


def news_feed(filters: FeedFilters) -> QuerySet[NewsPost]:
    """Visible posts matching the filters, newest first."""
    posts = NewsPost.objects.filter(hidden_at__isnull=True)
    if filters.municipality:
        posts = posts.filter(municipality__slug=filters.municipality)
    if filters.community:
        posts = posts.filter(community__slug=filters.community)
    if filters.topic:
        posts = posts.filter(topic=filters.topic)
    return (
        posts.select_related("community", "municipality")
        .annotate(comment_count=Count("comments", filter=Q(comments__hidden_at__isnull=True)))
        .order_by("-created_at", "-id")
    )


def post_detail(pk: int) -> NewsPost:
    visible = Comment.objects.filter(hidden_at__isnull=True).select_related("author")
    return (
        NewsPost.objects.select_related("community", "municipality", "author")
        .prefetch_related(Prefetch("comments", queryset=visible, to_attr="visible_comments"))
        .get(pk=pk)
    )


def flag_queue(user: User) -> QuerySet[Flag]:
    """Open flags on content the user moderates, oldest first."""
    flags = Flag.objects.filter(resolved_at__isnull=True)
    if not user.is_superuser:
        flags = flags.filter(municipality_id__in=staff_municipality_ids(user))
    return flags.select_related("post", "comment", "comment__post", "municipality").order_by(
        "created_at", "id"
    )


def follows_topic(user: User, topic: str) -> bool:
    return bool(
        topic and user.is_authenticated and Follow.objects.filter(user=user, topic=topic).exists()
    )


def publishers(user: User) -> tuple[QuerySet[Community], QuerySet[Municipality]]:
    """The communities and municipalities the user may write news for."""
    municipalities = (
        Municipality.objects.all()
        if user.is_superuser
        else Municipality.objects.filter(pk__in=staff_municipality_ids(user))
    )
    return coordinated_communities(user), municipalities
