from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kopiena.core.feeds import TextAtomFeed, TextRssFeed

from .models import Community


class NewCommunitiesFeed(Feed):
    # Names and neighbourhoods are plain text: sent as text (kopiena/core/feeds.py).
    feed_type = TextRssFeed
    title = _("Jaunas kopienas platformā Kopiena")
    description = _("Kopienas, kas nesen pievienotas reģistram.")

    def link(self):
        return reverse("communities:directory")

    def items(self):
        return Community.objects.select_related("municipality").order_by("-created_at", "-id")[:30]

    def item_title(self, item):
        return item.name

    def item_description(self, item):
        return f"{item.municipality.name}. {item.neighbourhood}".strip()

    def item_link(self, item):
        return reverse("communities:profile", args=[item.slug])

    def item_pubdate(self, item):
        return item.created_at

    # Atom requires <updated> on every entry (RFC 4287); Django writes it only from this.
    def item_updateddate(self, item):
        return item.updated_at


class NewCommunitiesAtomFeed(NewCommunitiesFeed):
    feed_type = TextAtomFeed
    subtitle = NewCommunitiesFeed.description
