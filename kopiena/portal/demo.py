"""`kopiena demo`: every app's demo content, composed in layer order.

Each app contributes its part as `DemoData` (kopiena.core.extensions); the parts come
in INSTALLED_APPS order, which is the layer order, so the people and communities exist
before the surveys, news and processes that refer to them. Every part is idempotent:
whatever already exists is left as it is, so running the demo twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from kopiena.core.extensions import DemoContext, DemoData, contributions


def demo_load(*, log: Callable[[str], None] = lambda message: None) -> DemoContext:
    context = DemoContext()
    for part in contributions(DemoData):
        before = len(context.created)
        part.load(context)
        for line in context.created[before:]:
            log(f"+ {line}")
    return context
