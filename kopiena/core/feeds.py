"""RSS and Atom generators for feeds whose texts are plain text, as people typed them.

News bodies, community names and neighbourhoods are plain text on the site: shown
escaped, their line breaks kept (`linebreaks`). Django's generators send a feed's
descriptions as HTML (Atom's `<summary type="html">`; RSS 2.0's `<description>`, which
every reader takes as HTML), so `<a href="javascript:…">` in a news body reached the
reader as a link. These send the text as text. Markdown rendering is not an option
here: these texts are not Markdown on the site either, and the feed shows what the
site shows.

- Atom: `<summary type="text">` (RFC 4287, 3.1.1): the reader shows the characters.
- RSS 2.0 has no type: the channel's and each item's description is the text escaped
  into the same HTML the site shows (paragraphs and line breaks, nothing else).

A `Feed` view uses them through `feed_type`; its `description` / `item_description`
return plain text.
"""

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import linebreaks


def _as_html(text: str | None) -> str | None:
    return None if text is None else linebreaks(text, autoescape=True)


class TextRssFeed(Rss201rev2Feed):
    """RSS 2.0 whose channel and item descriptions are plain text, escaped into HTML."""

    def __init__(self, title, link, description, *args, **kwargs):
        super().__init__(title, link, _as_html(description), *args, **kwargs)

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": _as_html(item["description"])})


class TextAtomFeed(Atom1Feed):
    """Atom whose entry summaries are `type="text"` (titles and subtitle are text already)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})
