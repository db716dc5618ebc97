"""Reads for the pages the portal composes from every app's contributions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from kopiena.core.extensions import PageBlock, contributions


@dataclass(frozen=True)
class RenderedBlock:
    key: str
    template: str
    context: dict[str, Any]


def page_blocks(request: HttpRequest, municipality=None) -> list[RenderedBlock]:
    """The blocks with something to show, in order: on the home page (no municipality) or
    on a municipality's hub page."""
    blocks = []
    for block in sorted(contributions(PageBlock), key=lambda b: b.order):
        if not (block.on_hub if municipality is not None else block.on_home):
            continue
        context = block.context(request, municipality)
        if context is not None:
            blocks.append(RenderedBlock(block.key, block.template, dict(context)))
    return blocks
