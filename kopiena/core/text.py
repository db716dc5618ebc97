"""Text helpers every app uses: diacritic-free search keys, Latvian order, safe Markdown."""

import functools
import unicodedata

import icu
import markdown
import nh3
from django.db.models import Q
from django.utils.safestring import SafeString, mark_safe


def fold(text: str) -> str:
    """Lower-case ASCII without diacritics: "Ķekavas Ūdri" → "kekavas udri". Control
    characters go too: a NUL typed into a search box is no letter (and PostgreSQL refuses
    it in a query)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = (
        ch
        for ch in decomposed
        if not unicodedata.combining(ch) and not unicodedata.category(ch).startswith("C")
    )
    return " ".join("".join(kept).split())


@functools.cache
def _latvian_collator() -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale("lv"))


def search_words(field: str, query: str) -> Q:
    """Rows whose folded search column (`field`, kept with `fold`) holds every word of the
    query, whatever its case and diacritics; at most eight words count."""
    condition = Q()
    for word in fold(query).split()[:8]:
        condition &= Q(**{f"{field}__contains": word})
    return condition


def latvian_sort_key(text: str) -> bytes:
    """The ICU Latvian collation key: comparing the bytes is comparing alphabetically."""
    return _latvian_collator().getSortKey(text)


DESCRIPTION_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "hr",
}
DESCRIPTION_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML, then cleaned to the allow-list: nothing a reader's browser runs."""
    html = markdown.markdown(text or "", output_format="html")
    cleaned = nh3.clean(
        html,
        tags=DESCRIPTION_TAGS,
        attributes=DESCRIPTION_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 — the output of nh3's allow-list
