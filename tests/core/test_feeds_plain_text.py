"""Every RSS and Atom feed sends people's plain text as text, never as markup (issue 13, item 5).

News bodies, community names and neighbourhoods are plain text on the site (shown escaped,
line breaks kept). A feed reader must show the same characters: Atom says type="text";
RSS 2.0, whose <description> readers take as HTML, carries the text escaped.
"""

from html.parser import HTMLParser

import feedparser
import pytest
from django.urls import reverse

from kopiena.communities import services as communities
from kopiena.network import services as network
from tests.factories import UserFactory, municipality

pytestmark = pytest.mark.django_db

LINK = '<a href="javascript:alert(6)">x</a>'
BODY = f"Talka sestdien.\n\n{LINK} <img src=x onerror=alert(7)>"
NAME = "<b>Ūdri</b> & co"
NEIGHBOURHOOD = '<a href="javascript:alert(8)">Centrs</a>'


class Markup(HTMLParser):
    """The tags of an HTML fragment and the text a reader would show."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def words(text: str) -> str:
    return " ".join(text.split())


def shown_text(detail) -> str:
    """What a reader shows for a feedparser text construct, whatever type it declares."""
    if detail.type == "text/plain":
        return detail.value
    assert detail.type == "text/html"
    markup = Markup(detail.value)
    assert set(markup.tags) <= {"p", "br"}, f"markup in the feed: {detail.value}"
    return "".join(markup.text)


@pytest.fixture
def news():
    coordinator = UserFactory()
    community = communities.community_create(
        name=NAME,
        municipality=municipality("kekavas_nov"),
        actor=None,
        coordinator=coordinator,
        neighbourhood=NEIGHBOURHOOD,
    )
    network.news_post_create(
        author=coordinator, community=community, title="Talka", body=BODY, topic="vide"
    )
    return community


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    # sanitize_html=False: what a reader that trusts the feed's declared type would show.
    parsed = feedparser.parse(response.content, sanitize_html=False, resolve_relative_uris=False)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_news_body_is_text_in_the_feed(client, news, kind):
    for args in (["all"], ["community", news.slug]):
        parsed = parse(client, reverse(f"network:feed_{kind}", args=args))
        [entry] = parsed.entries
        assert words(shown_text(entry.summary_detail)) == words(BODY)
        if kind == "atom":
            assert entry.summary_detail.type == "text/plain"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_community_name_is_text_in_its_news_feed_description(client, news, kind):
    parsed = parse(client, reverse(f"network:feed_{kind}", args=["community", news.slug]))
    assert NAME in shown_text(parsed.feed.subtitle_detail)


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_neighbourhood_is_text_in_the_new_communities_feed(client, news, kind):
    parsed = parse(client, reverse(f"communities:feed_{kind}"))
    [entry] = parsed.entries
    assert NEIGHBOURHOOD in shown_text(entry.summary_detail)
    assert entry.title == NAME
