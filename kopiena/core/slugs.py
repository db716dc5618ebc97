"""Readable, unique URL slugs, and the words a slug must not be.

A model's pages live at /<app>/<slug>/ beside the app's own fixed pages (/surveys/manage/,
/communities/map/): a slug spelled like one of those leads to that page, never to its
own. Every creator of a slug therefore goes through the model's `SlugSpace`, whose
reserved words are the fixed first path segments of the app's URLs, read from the URLs
themselves: a fixed page added later is reserved at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from importlib import import_module

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db.models import Model
from django.urls.resolvers import RoutePattern
from django.utils.text import slugify
from django.utils.translation import gettext as _


class SlugRefused(ValueError):
    """A slug that was asked for and cannot be used; the message says why."""


def fixed_segments(urlconf: str) -> frozenset[str]:
    """The fixed first path segments of a URL module's routes: "manage" of "manage/new/",
    nothing of "<slug:slug>/". Only `path()` routes are read, as Kopiena's apps write them."""
    segments = set()
    for pattern in import_module(urlconf).urlpatterns:
        if isinstance(pattern.pattern, RoutePattern):
            first = str(pattern.pattern).split("/", 1)[0]
            if first and "<" not in first:
                segments.add(first)
    return frozenset(segments)


@dataclass(frozen=True)
class SlugSpace:
    """The slugs of one model's pages, beside the fixed pages of `urlconf` (its app's URLs)."""

    model: type[Model]
    urlconf: str
    # Of a slug made from a text; room is left for the numbers -2, -3, … below the field's.
    max_length: int
    # The slug of a text that has none (nothing but punctuation, say).
    fallback: str

    @cached_property
    def reserved(self) -> frozenset[str]:
        return fixed_segments(self.urlconf)

    def _taken(self, slug: str) -> bool:
        return slug in self.reserved or self.model.objects.filter(slug=slug).exists()

    def from_text(self, text: str) -> str:
        """`text` as a new slug (Latvian letters folded to ASCII by slugify), numbered -2,
        -3, … past the slugs already taken and the reserved words."""
        base = (slugify(text) or self.fallback)[: self.max_length]
        slug, number = base, 2
        while self._taken(slug):
            slug = f"{base}-{number}"
            number += 1
        return slug

    def check(self, slug: str) -> str:
        """A slug asked for as it is (a command's --slug, an upload's field): returned if
        it can be used, else SlugRefused saying why."""
        try:
            validate_slug(slug)
        except ValidationError:
            raise SlugRefused(
                _("Identifikators „%(slug)s” drīkst saturēt tikai burtus, ciparus, „-” un „_”.")
                % {"slug": slug}
            ) from None
        limit = self.model._meta.get_field("slug").max_length
        if len(slug) > limit:
            raise SlugRefused(
                _("Identifikators ir garāks par %(max)s rakstzīmēm.") % {"max": limit}
            )
        if slug in self.reserved:
            raise SlugRefused(
                _(
                    "Identifikators „%(slug)s” ir rezervēts: tāda adrese jau ir citai lapai. "
                    "Izvēlieties citu."
                )
                % {"slug": slug}
            )
        if self.model.objects.filter(slug=slug).exists():
            raise SlugRefused(
                _("Identifikators „%(slug)s” jau ir aizņemts; izvēlieties citu.") % {"slug": slug}
            )
        return slug
