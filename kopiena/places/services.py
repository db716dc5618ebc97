"""Writes to places: Latvia's municipalities from the reference list."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

SOURCE = Path(__file__).resolve().parents[1] / "surveys" / "reference" / "municipalities.csv"


@transaction.atomic
def municipalities_load(*, model=None) -> int:
    """Create or update the 43 municipalities of `municipalities.csv`; returns how many.

    `model` lets the data migration pass its historical model; by default the current one.
    """
    if model is None:
        from .models import Municipality as model
    with SOURCE.open(encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    for row in rows:
        model.objects.update_or_create(
            slug=row["slug"],
            defaults={"name": row["name"], "kind": row["kind"], "atvk": row["atvk"].strip()},
        )
    return len(rows)
