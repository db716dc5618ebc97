"""RSS, Atom and JSON Feed of the news, per municipality, community or topic.

A municipality's website, social-media tools or app subscribe to these to carry
community news on its own channels.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from kopiena.communities.models import Community
from kopiena.core.feeds import TextAtomFeed, TextRssFeed
from kopiena.places.models import Municipality
from kopiena.practices.models import Topic

from .selectors import FEED_LIMIT, FeedFilters, news_feed


class Scope:
    """What a feed covers: everything, a municipality, a community or a topic."""

    def __init__(self, kind: str, slug: str):
        self.kind, self.slug = kind, slug
        if kind == "all":
            self.name, self.filters = _("Visas kopienas"), FeedFilters()
        elif kind == "municipality":
            self.name = get_object_or_404(Municipality, slug=slug).name
            self.filters = FeedFilters(municipality=slug)
        elif kind == "community":
            self.name = get_object_or_404(Community, slug=slug).name
            self.filters = FeedFilters(community=slug)
        elif kind == "topic" and slug in Topic.values:
            self.name, self.filters = str(Topic(slug).label), FeedFilters(topic=slug)
        else:
            raise Http404

    def items(self):
        return news_feed(self.filters)[:FEED_LIMIT]


class NewsRssFeed(Feed):
    feed_type = TextRssFeed

    def get_object(self, request, kind, slug=""):
        return Scope(kind, slug)

    def title(self, scope):
        return _("Kopienu ziņas: %(name)s") % {"name": scope.name}

    def description(self, scope):
        return _("Jaunākās ziņas platformā Kopiena: %(name)s") % {"name": scope.name}

    def link(self, scope):
        return reverse("network:feed") + (f"?{scope.kind}={scope.slug}" if scope.slug else "")

    def items(self, scope):
        return scope.items()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Plain text, as on the site; the feed type sends it as text (kopiena/core/feeds.py).
        return item.body

    def item_link(self, item):
        return reverse("network:post", args=[item.pk])

    def item_pubdate(self, item):
        return item.created_at

    # Atom requires <updated> on every entry (RFC 4287, 4.1.2); Django writes it only from this.
    def item_updateddate(self, item):
        return item.created_at

    def item_author_name(self, item):
        return item.publisher_name

    def item_categories(self, item):
        return [item.get_topic_display()]


class NewsAtomFeed(NewsRssFeed):
    feed_type = TextAtomFeed

    def subtitle(self, scope):
        return self.description(scope)


def json_feed(request, kind, slug=""):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    scope = Scope(kind, slug)
    site = request.build_absolute_uri("/").rstrip("/")
    args = [kind, slug] if slug else [kind]
    return JsonResponse(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": _("Kopienu ziņas: %(name)s") % {"name": scope.name},
            "home_page_url": site + reverse("network:feed"),
            "feed_url": request.build_absolute_uri(reverse("network:feed_json", args=args)),
            "language": "lv",
            "items": [
                {
                    "id": str(post.pk),
                    "url": site + reverse("network:post", args=[post.pk]),
                    "title": post.title,
                    "content_text": post.body,
                    "date_published": post.created_at.isoformat(),
                    "authors": [{"name": post.publisher_name}],
                    "tags": [post.get_topic_display()],
                    **({"image": site + settings.MEDIA_URL + post.image} if post.image else {}),
                }
                for post in scope.items()
            ],
        },
        json_dumps_params={"ensure_ascii": False},
        content_type="application/feed+json; charset=utf-8",
    )
