"""Readable, unique URL slugs."""

from django.db.models import Model
from django.utils.text import slugify


def unique_slug(
    model: type[Model], text: str, *, fallback: str, reserved=frozenset(), max_length: int
) -> str:
    """`text` as a slug (Latvian letters folded to ASCII by slugify), numbered -2, -3, …
    past the slugs `model` already has and the `reserved` paths it must not shadow."""
    base = (slugify(text) or fallback)[:max_length]
    slug, number = base, 2
    while slug in reserved or model.objects.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug
