"""News of the community network in the public API (/api/v1/news/): visible posts only,
with the news page's filters. A post hidden by a moderator is never listed nor found; its
author is not published (the post speaks for its community or municipality)."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema

from kopiena.core.api import Slug, conditional, filter_values, media_url, page_url, paged
from kopiena.practices.models import Topic

from . import models, selectors

router = Router(tags=["news"])

# The largest id a database's integer key holds; a larger one is refused, not looked up.
MAX_ID = 2**63 - 1


class Image(Schema):
    url: str
    alt: str


class NewsPost(Schema):
    id: int
    title: str
    body: str = Field(description="The text, as written (plain text).")
    topic: Topic
    publisher: str = Field(description="The community's or the municipality's name.")
    community: str | None = Field(description="Slug of the community that published it.")
    municipality: str = Field(description="Municipality slug.")
    image: Image | None
    created_at: dt.datetime
    url: str = Field(description="The post's page.")

    @staticmethod
    def resolve_publisher(post: models.NewsPost) -> str:
        return post.publisher_name

    @staticmethod
    def resolve_community(post: models.NewsPost) -> str | None:
        return post.community.slug if post.community else None

    @staticmethod
    def resolve_municipality(post: models.NewsPost) -> str:
        return post.municipality.slug

    @staticmethod
    def resolve_image(post: models.NewsPost) -> dict | None:
        return {"url": media_url(post.image), "alt": post.image_alt} if post.image else None

    @staticmethod
    def resolve_url(post: models.NewsPost) -> str:
        return page_url("network:post", post.pk)


class NewsFilters(Schema):
    municipality: Slug | None = Field(None, description="Municipality slug.")
    community: Slug | None = Field(None, description="Community slug.")
    topic: Topic | None = None


def _visible(filters: NewsFilters | None = None):
    return selectors.news_feed(selectors.FeedFilters(**filter_values(filters)))


@router.get(
    "/",
    response=list[NewsPost],
    url_name="news",
    operation_id="listNews",
    summary="Visible news posts, newest first",
)
@paged()
def news(request, filters: Query[NewsFilters]):
    return _visible(filters)


@router.get(
    "/{post_id}/",
    response=NewsPost,
    url_name="news_post",
    operation_id="getNewsPost",
    summary="One visible news post",
)
@conditional()
def news_post(request, post_id: int = Path(..., ge=1, le=MAX_ID)):
    return get_object_or_404(_visible(), pk=post_id)
